// The open chat as the screen shows it: one page of history, kept in step with storage by the
// chat store (user actions) and by messaging (what arrives from the peer).

import { createSignal } from 'solid-js';
import type { MessageRecord } from '../../db/schema.ts';

export type ChatState =
  | { readonly status: 'closed' }
  | { readonly status: 'loading'; readonly contact: string }
  | {
      readonly status: 'open';
      readonly contact: string;
      readonly messages: readonly MessageRecord[];
      /** Older messages may exist beyond the first one held. */
      readonly more: boolean;
    }
  | { readonly status: 'failed'; readonly contact: string };

const [chatState, setChatState] = createSignal<ChatState>({ status: 'closed' });

export { chatState, setChatState };

/** The contact whose chat is open and on screen (tab visible), if any. */
export function visibleChat(): string | undefined {
  const s = chatState();
  if (s.status !== 'open' || document.visibilityState !== 'visible') return undefined;
  return s.contact;
}

function byTime(a: MessageRecord, b: MessageRecord): number {
  return a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Stored records that changed or are new: replaced or added if their chat is open. */
export function mergeIntoChat(records: readonly MessageRecord[]): void {
  const s = chatState();
  if (s.status !== 'open') return;
  const mine = records.filter((r) => r.contact === s.contact);
  if (mine.length === 0) return;
  const byId = new Map(s.messages.map((m) => [m.id, m]));
  for (const r of mine) byId.set(r.id, r);
  setChatState({ ...s, messages: [...byId.values()].sort(byTime) });
}

/** Messages of the open chat not yet written to any session. */
export function pendingCount(): number {
  const s = chatState();
  return s.status === 'open' ? s.messages.filter((m) => m.state === 'pending').length : 0;
}
