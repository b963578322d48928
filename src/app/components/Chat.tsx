import '../styles/chat.css';
import '../styles/files.css';
import {
  createMemo,
  createSignal,
  lazy,
  Match,
  onCleanup,
  onMount,
  Show,
  Suspense,
  Switch,
} from 'solid-js';
import { chatState, closeChat, openChat } from '../stores/chat.ts';
import { pendingCount } from '../stores/chat-view.ts';
import { contactByKey } from '../stores/contacts.ts';
import { navigate } from '../stores/router.ts';
import { Composer, offerFiles } from './Composer.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { MessageList } from './MessageList.tsx';
import { NotFound } from './NotFound.tsx';
import { PeerPresence } from './PeerPresence.tsx';
import { ScreenHeader } from './ScreenHeader.tsx';

const ChatSearch = lazy(() => import('./ChatSearch.tsx').then((m) => ({ default: m.ChatSearch })));

type SearchPanel = 'closed' | 'open';
/** Whether files are being dragged over the chat (the drop zone shows). */
type DropState = 'idle' | 'over';

function hasFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false;
}

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
  const [panel, setPanel] = createSignal<SearchPanel>('closed');
  const [drop, setDrop] = createSignal<DropState>('idle');
  const [fileNote, setFileNote] = createSignal('');
  const onFiles = async (files: readonly File[]) => {
    setFileNote(await offerFiles(props.contactKey, files));
  };
  // dragenter/dragleave fire for every child crossed: count them to know when it really left.
  let dragDepth = 0;
  let searchToggle: HTMLButtonElement | undefined;
  const closeSearch = () => {
    setPanel('closed');
    searchToggle?.focus();
  };
  onMount(() => void openChat(props.contactKey));
  onCleanup(closeChat);

  return (
    <Show when={contact()} fallback={<NotFound />}>
      {(c) => (
        <section
          class={`card chat${drop() === 'over' ? ' dropping' : ''}`}
          aria-labelledby="chat-title"
          onDragEnter={(e) => {
            if (!hasFiles(e)) return;
            dragDepth++;
            setDrop('over');
          }}
          onDragOver={(e) => {
            if (!hasFiles(e)) return;
            e.preventDefault();
            if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          }}
          onDragLeave={(e) => {
            if (!hasFiles(e)) return;
            dragDepth = Math.max(0, dragDepth - 1);
            if (dragDepth === 0) setDrop('idle');
          }}
          onDrop={(e) => {
            if (!hasFiles(e)) return;
            e.preventDefault();
            dragDepth = 0;
            setDrop('idle');
            void onFiles([...(e.dataTransfer?.files ?? [])]);
          }}
        >
          <Show when={drop() === 'over'}>
            <div class="drop-zone" aria-hidden="true">
              Drop files to send them to {c().name}
            </div>
          </Show>
          <div class="chat-head">
            <ScreenHeader id="chat-title" title={c().name} />
            <div class="chat-actions">
              <button
                type="button"
                class="btn small"
                ref={searchToggle}
                aria-expanded={panel() === 'open'}
                aria-controls="chat-search"
                onClick={() => (panel() === 'open' ? closeSearch() : setPanel('open'))}
              >
                Search
              </button>
              <button
                type="button"
                class="btn small"
                onClick={() => navigate({ name: 'contact', key: c().key })}
              >
                Contact info
              </button>
            </div>
          </div>
          <div id="chat-search">
            <Show when={panel() === 'open'}>
              <Suspense fallback={<p class="hint">Loading search…</p>}>
                <ChatSearch contactKey={c().key} contactName={c().name} onClose={closeSearch} />
              </Suspense>
            </Show>
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
            onFiles={onFiles}
            fileNote={fileNote()}
          />
        </section>
      )}
    </Show>
  );
}
