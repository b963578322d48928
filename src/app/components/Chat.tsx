import '../styles/chat.css';
import { createMemo, createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { chatState, closeChat, openChat } from '../stores/chat.ts';
import { pendingCount } from '../stores/chat-view.ts';
import { contactByKey } from '../stores/contacts.ts';
import { navigate } from '../stores/router.ts';
import { Composer } from './Composer.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { MessageList } from './MessageList.tsx';
import { NotFound } from './NotFound.tsx';
import { PeerPresence } from './PeerPresence.tsx';
import { ScreenHeader } from './ScreenHeader.tsx';

/**
 * One conversation. Messages are stored first (outbox, 'pending') and written to the contact's
 * encrypted session as soon as one is up; the header says how (and whether) we are connected.
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
          <PeerPresence contact={c()} />
          <ConnectionStatus contact={c()} />
          <Switch>
            <Match when={chatState().status === 'failed'}>
              <p class="error">This chat could not be loaded.</p>
            </Match>
            <Match when={open()}>
              {(s) => (
                <>
                  <MessageList messages={s().messages} more={s().more} onReply={setReplyTo} />
                  <Show when={pendingCount() > 0}>
                    <p class="hint queued" data-testid="outbox-count">
                      {pendingCount()} {pendingCount() === 1 ? 'message' : 'messages'} waiting in
                      the outbox.
                    </p>
                  </Show>
                </>
              )}
            </Match>
          </Switch>
          <Composer
            contactKey={c().key}
            replyTo={replyTo()}
            onSent={() => setReplyTo(undefined)}
            onCancelReply={() => setReplyTo(undefined)}
          />
        </section>
      )}
    </Show>
  );
}
