import { Show } from 'solid-js';
import type { ContactRecord } from '../../db/schema.ts';
import { isTyping, peerStatus } from '../stores/presence.ts';
import { shortTime } from '../text.ts';

const STATUS_LABEL = { online: 'online', away: 'away', busy: 'busy', offline: 'offline' } as const;

/** "online · at work", "last seen 14:02", and the typing indicator. */
export function PeerPresence(props: { contact: ContactRecord }) {
  const presence = () => peerStatus(props.contact.key).presence;
  const lastSeen = () => presence()?.lastSeen ?? props.contact.lastSeen;
  const line = () => {
    const p = presence();
    if (!p || p.status === 'offline') {
      const seen = lastSeen();
      return seen === undefined ? '' : `last seen ${shortTime(seen)}`;
    }
    return p.text ? `${STATUS_LABEL[p.status]} · ${p.text}` : STATUS_LABEL[p.status];
  };
  return (
    <p class="presence" data-testid="presence" data-status={presence()?.status ?? 'unknown'}>
      <Show when={presence() && presence()?.status !== 'offline'}>
        <span class={`dot ${presence()?.status}`} aria-hidden="true" />
      </Show>
      <span>{line()}</span>
      <span class="typing" aria-live="polite" data-testid="typing">
        <Show when={isTyping(props.contact.key)}> {props.contact.name} is typing…</Show>
      </span>
    </p>
  );
}
