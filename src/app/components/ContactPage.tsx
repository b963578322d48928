import { createSignal, Show } from 'solid-js';
import {
  clearChat,
  contactByKey,
  removeContact,
  renameContact,
  setBlocked,
} from '../stores/contacts.ts';
import { fingerprintOf } from '../stores/keys.ts';
import { navigate, replace } from '../stores/router.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { NotFound } from './NotFound.tsx';
import { RenameForm } from './RenameForm.tsx';
import { ScreenHeader } from './ScreenHeader.tsx';

/** Everything about one contact except the chat itself. */
export function ContactPage(props: { contactKey: string }) {
  const contact = () => contactByKey(props.contactKey);
  const [chatCleared, setChatCleared] = createSignal(false);
  return (
    <Show when={contact()} fallback={<NotFound />}>
      {(c) => (
        <section class="card" aria-labelledby="contact-title">
          <ScreenHeader id="contact-title" title={c().name} />
          <dl class="facts">
            <dt>Fingerprint</dt>
            <dd class="mono">{fingerprintOf(c().key)}</dd>
            <dt>Safety number</dt>
            <dd>
              <Show when={c().verified} fallback={<span class="tag">Not verified</span>}>
                <span class="tag ok">Verified</span>
              </Show>
            </dd>
            <dt>Key</dt>
            <dd class="mono key-full">{c().key}</dd>
          </dl>
          <div class="actions">
            <button
              type="button"
              class="btn primary"
              onClick={() => navigate({ name: 'chat', key: c().key })}
            >
              Open chat
            </button>
            <button
              type="button"
              class="btn"
              onClick={() => navigate({ name: 'safety', key: c().key })}
            >
              {c().verified ? 'View safety number' : 'Verify safety number'}
            </button>
          </div>
          <RenameForm
            id="contact-rename"
            label="Name for this contact"
            value={c().name}
            onSave={(name) => renameContact(c().key, name)}
          />
          <h3>Block</h3>
          <p class="hint">
            {c().blocked
              ? 'Blocked: Peerline refuses connections from this key. History is kept.'
              : 'A blocked contact cannot connect to you. You can unblock them later.'}
          </p>
          <button
            type="button"
            class={c().blocked ? 'btn' : 'btn danger-outline'}
            onClick={() => setBlocked(c().key, !c().blocked)}
          >
            {c().blocked ? 'Unblock' : 'Block'}
          </button>
          <h3>Delete</h3>
          <ConfirmButton
            label="Delete chat"
            confirmLabel="Delete all messages"
            warning={
              <p>
                This deletes every message of your chat with <strong>{c().name}</strong> from this
                browser, including messages still waiting to be sent. The contact stays. It cannot
                be undone. They keep their copy.
              </p>
            }
            onConfirm={async () => {
              await clearChat(c().key);
              setChatCleared(true);
            }}
          />
          <Show when={chatCleared()}>
            <p role="status">The chat is empty now.</p>
          </Show>
          <ConfirmButton
            label="Delete contact"
            confirmLabel="Delete contact and chat"
            warning={
              <p>
                This deletes <strong>{c().name}</strong> and your whole chat with them from this
                browser. It cannot be undone. They keep their copy.
              </p>
            }
            onConfirm={async () => {
              await removeContact(c().key);
              replace({ name: 'home' });
            }}
          />
        </section>
      )}
    </Show>
  );
}
