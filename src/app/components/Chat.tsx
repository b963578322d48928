import '../styles/chat.css';
import { createMemo, createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { chatState, closeChat, openChat } from '../stores/chat.ts';
import { contactByKey } from '../stores/contacts.ts';
import { navigate } from '../stores/router.ts';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { NotFound } from './NotFound.tsx';
import { ScreenHeader } from './ScreenHeader.tsx';

/**
 * One conversation. There is no transport yet: messages are stored and queued in the outbox
 * as 'pending', and stay there across reloads until the session layer sends them.
 */
export function Chat(props: { contactKey: string }) {
  const contact = () => contactByKey(props.contactKey);
  const open = createMemo(() => {
    const s = chatState();
    return s.status === 'open' && s.contact === props.contactKey ? s : undefined;
  });
  const [replyTo, setReplyTo] = createSignal<string | undefined>(undefined);
  onMount(() => void openChat(props.contactKey));
  onCleanup(closeChat);

  return (
    <Show when={contact()} fallback={<NotFound />}>
      {(c) => (
        <section class="card chat" aria-labelledby="chat-title">
          <div class="chat-head">
            <ScreenHeader id="chat-title" title={c().name} />
            <button
              type="button"
              class="btn small"
              onClick={() => navigate({ name: 'contact', key: c().key })}
            >
              Contact info
            </button>
          </div>
          <p class="connection" role="status">
            <Show when={c().verified}>
              <span class="tag ok">Verified</span>{' '}
            </Show>
            Not connected: messages wait on this device until direct connections arrive in a coming
            version.
          </p>
          <Switch>
            <Match when={chatState().status === 'failed'}>
              <p class="error">This chat could not be loaded.</p>
            </Match>
            <Match when={open()}>
              {(s) => (
                <>
                  <MessageList messages={s().messages} more={s().more} onReply={setReplyTo} />
                  <Show when={s().queued > 0}>
                    <p class="hint queued" data-testid="outbox-count">
                      {s().queued} {s().queued === 1 ? 'message' : 'messages'} waiting in the
                      outbox.
                    </p>
                  </Show>
                </>
              )}
            </Match>
          </Switch>
          <Composer
            replyTo={replyTo()}
            onSent={() => setReplyTo(undefined)}
            onCancelReply={() => setReplyTo(undefined)}
          />
        </section>
      )}
    </Show>
  );
}
