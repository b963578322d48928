// Presence (seed 001, PROTOCOL.md §5): what I show my contacts, and what they show me — their
// status, status message, when they were last seen, and whether they are typing right now.

import { createSignal } from 'solid-js';
import type { StatusSetting } from '../../db/schema.ts';
import { getSetting, setSetting } from '../../db/settings.ts';
import type { Presence } from '../../peer/chat-channel.ts';

export const MAX_STATUS_TEXT = 140;
const DEFAULT_STATUS: StatusSetting = { status: 'online', text: '' };

const [myStatus, setMyStatusSignal] = createSignal<StatusSetting>(DEFAULT_STATUS);

export { myStatus };

export async function loadMyStatus(): Promise<void> {
  setMyStatusSignal((await getSetting('status')) ?? DEFAULT_STATUS);
}

export async function saveMyStatus(next: StatusSetting): Promise<void> {
  const clean = { status: next.status, text: next.text.trim().slice(0, MAX_STATUS_TEXT) };
  await setSetting('status', clean);
  setMyStatusSignal(clean);
}

/** What contacts see now: 'online' turns 'away' while no Peerline tab is on screen. */
export function shownPresence(): Presence {
  const s = myStatus();
  const status = s.status === 'online' && document.visibilityState === 'hidden' ? 'away' : s.status;
  return s.text === '' ? { status } : { status, text: s.text };
}

export interface PeerStatus {
  readonly presence: Presence | undefined;
  /** Typing until this time (ms), or 0. */
  readonly typingUntil: number;
}

const [peers, setPeers] = createSignal<ReadonlyMap<string, PeerStatus>>(new Map());
const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

export function peerStatus(contact: string): PeerStatus {
  return peers().get(contact) ?? { presence: undefined, typingUntil: 0 };
}

function update(contact: string, change: Partial<PeerStatus>): void {
  const next = new Map(peers());
  next.set(contact, { ...peerStatus(contact), ...change });
  setPeers(next);
}

export function setPeerPresence(contact: string, presence: Presence): void {
  update(contact, { presence });
}

/** Typing shows until `until` (the sender's expiry, capped by us) or an explicit stop. */
export function setPeerTyping(contact: string, until: number): void {
  const old = typingTimers.get(contact);
  if (old !== undefined) clearTimeout(old);
  typingTimers.delete(contact);
  const left = until - Date.now();
  if (left <= 0) {
    update(contact, { typingUntil: 0 });
    return;
  }
  update(contact, { typingUntil: until });
  typingTimers.set(
    contact,
    setTimeout(() => {
      typingTimers.delete(contact);
      update(contact, { typingUntil: 0 });
    }, left),
  );
}

export function isTyping(contact: string): boolean {
  return peerStatus(contact).typingUntil > 0;
}

export function resetPeers(): void {
  for (const t of typingTimers.values()) clearTimeout(t);
  typingTimers.clear();
  setPeers(new Map());
}
