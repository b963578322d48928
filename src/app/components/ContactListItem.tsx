import { Show } from 'solid-js';
import type { ContactRecord } from '../../db/schema.ts';
import { peerStatus } from '../stores/presence.ts';
import { navigate } from '../stores/router.ts';
import { shortTime } from '../text.ts';

export function ContactListItem(props: { contact: ContactRecord }) {
  const c = () => props.contact;
  const initial = () => (c().name.trim()[0] ?? '?').toUpperCase();
  const status = () => {
    const s = peerStatus(c().key).presence?.status;
    return s === undefined || s === 'offline' ? undefined : s;
  };
  return (
    <li>
      <button
        type="button"
        class="contact-row"
        onClick={() => navigate({ name: 'chat', key: c().key })}
      >
        <span class="avatar" aria-hidden="true">
          {initial()}
        </span>
        <span class="contact-main">
          <span class="contact-name">
            <Show when={status()}>
              {(s) => (
                <>
                  <span class={`dot ${s()}`} aria-hidden="true" />
                  <span class="sr-only">({s()}) </span>
                </>
              )}
            </Show>
            {c().name}
            <Show when={c().verified}>
              <span class="tag ok">Verified</span>
            </Show>
            <Show when={c().blocked}>
              <span class="tag danger">Blocked</span>
            </Show>
          </span>
          <span class="preview">{c().lastMessagePreview || 'No messages yet'}</span>
        </span>
        <span class="contact-meta">
          <Show when={c().lastMessageAt}>
            {(at) => <span class="time">{shortTime(at())}</span>}
          </Show>
          <Show when={c().unread > 0}>
            <span class="badge">
              {c().unread}
              <span class="sr-only"> unread</span>
            </span>
          </Show>
        </span>
      </button>
    </li>
  );
}
