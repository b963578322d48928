// The chat over a live channel: the outbox is written in order when a session comes up, incoming
// messages are stored (once: duplicates are recognised by envelope id) and acknowledged,
// receipts move our messages forward, and typing and presence go to the contact only.
//
// Per contact, everything runs through one serial queue, so a receipt is never applied before
// the message it confirms has been recorded as written.

import { updateContact } from '../../db/contacts.ts';
import { previewOf, saveIncoming } from '../../db/messages.ts';
import { markWritten, outboxToSend } from '../../db/outbox.ts';
import { applyReceipt, clearReceiptsDue, markChatRead, receiptsDue } from '../../db/receipts.ts';
import type { ChatChannel, ChatEvent } from '../../peer/chat-channel.ts';
import { newMessageId } from '../../peer/ids.ts';
import { SerialQueue } from '../../peer/serial-queue.ts';
import { mergeIntoChat, visibleChat } from '../stores/chat-view.ts';
import { clearUnread, contactByKey, loadContacts } from '../stores/contacts.ts';
import { setPeerPresence, setPeerTyping, shownPresence } from '../stores/presence.ts';
import { onChannel } from './network.ts';
import { notifyMessage } from './notify.ts';

/** Longest a typing indicator may show without renewal, whatever the sender asked. */
const MAX_TYPING_MS = 10_000;
/** Renew our own typing indicator at most this often while the user types. */
const TYPING_RENEW_MS = 3_000;
/** Typing stops this long after the last keystroke. */
const TYPING_IDLE_MS = 4_000;

interface Live {
  readonly channel: ChatChannel;
  /** Tags the outbox entries written to this session. */
  readonly tag: string;
  off: () => void;
  readonly queue: SerialQueue;
  drainQueued: boolean;
  typingSentAt: number;
  typingTimer: ReturnType<typeof setTimeout> | undefined;
}

const live = new Map<string, Live>();
const queues = new Map<string, SerialQueue>();

function queueOf(contact: string): SerialQueue {
  let q = queues.get(contact);
  if (!q) {
    q = new SerialQueue();
    queues.set(contact, q);
  }
  return q;
}

function job(l: Live, work: () => Promise<void>): void {
  // A failure means the session closed mid-way: the outbox keeps what was not confirmed, and
  // owed receipts stay owed, for the next session.
  l.queue.run(work).catch(() => undefined);
}

/** Owed receipts, then the outbox, in order; again if more arrived meanwhile. */
export function flushContact(contact: string): void {
  const l = live.get(contact);
  if (!l || l.drainQueued) return;
  l.drainQueued = true;
  job(l, async () => {
    l.drainQueued = false;
    for (const owed of await receiptsDue(contact)) {
      await l.channel.sendReceipt(owed.status, owed.wireIds);
      await clearReceiptsDue(owed.ids, owed.status);
    }
    for (const item of await outboxToSend(contact, l.tag)) {
      if (live.get(contact) !== l) return;
      // A resend keeps the first attempt's wire id, so a peer that got it before drops it.
      const wireId = await l.channel.sendText(
        item.message.text,
        item.replyToWire,
        item.message.wireId,
      );
      const updated = await markWritten(item.message.id, wireId, l.tag);
      if (updated) mergeIntoChat([updated]);
    }
  });
}

/** The open chat is on screen: its unread messages are read, and the sender is told. */
export async function markVisibleChatRead(): Promise<void> {
  const contact = visibleChat();
  if (contact === undefined) return;
  if ((contactByKey(contact)?.unread ?? 0) > 0) await clearUnread(contact);
  const changed = await markChatRead(contact);
  if (changed.length === 0) return;
  mergeIntoChat(changed);
  flushContact(contact);
}

async function onText(contact: string, e: Extract<ChatEvent, { kind: 'text' }>): Promise<void> {
  const saved = await saveIncoming({
    contact,
    wireId: e.id,
    text: e.text,
    ...(e.replyTo === undefined ? {} : { replyToWire: e.replyTo }),
  });
  if (saved.kind === 'new') {
    mergeIntoChat([saved.message]);
    setPeerTyping(contact, 0);
    await loadContacts();
    const name = contactByKey(contact)?.name ?? 'a contact';
    notifyMessage(contact, name, previewOf(e.text));
    if (visibleChat() === contact) await markVisibleChatRead();
  }
  // New or repeated: the sender waits for a receipt either way.
  flushContact(contact);
}

function onEvent(contact: string, l: Live, e: ChatEvent): void {
  switch (e.kind) {
    case 'text':
      job(l, () => onText(contact, e));
      return;
    case 'receipt':
      job(l, async () => {
        const changed = await applyReceipt(contact, e.status, e.ids);
        mergeIntoChat(changed);
      });
      return;
    case 'typing': {
      const cap = Date.now() + MAX_TYPING_MS;
      setPeerTyping(contact, e.typing ? Math.min(e.expiresAt ?? cap, cap) : 0);
      return;
    }
    case 'presence':
      setPeerPresence(contact, e.presence);
      return;
    case 'hello':
      return;
  }
}

function attach(contact: string, channel: ChatChannel): void {
  detach(contact);
  const l: Live = {
    channel,
    tag: newMessageId(),
    off: () => undefined,
    queue: queueOf(contact),
    drainQueued: false,
    typingSentAt: 0,
    typingTimer: undefined,
  };
  l.off = channel.on((e) => onEvent(contact, l, e));
  live.set(contact, l);
  channel.sendPresence(shownPresence()).catch(() => undefined);
  flushContact(contact);
}

function detach(contact: string): void {
  const l = live.get(contact);
  if (!l) return;
  l.off();
  if (l.typingTimer !== undefined) clearTimeout(l.typingTimer);
  live.delete(contact);
  const lastSeen = Date.now();
  setPeerPresence(contact, { status: 'offline', lastSeen });
  setPeerTyping(contact, 0);
  void updateContact(contact, { lastSeen }).then(() => loadContacts());
}

/** The user typed in `contact`'s chat: tell them, renewed while typing, stopped when idle. */
export function typing(contact: string): void {
  const l = live.get(contact);
  if (!l) return;
  const now = Date.now();
  if (now - l.typingSentAt >= TYPING_RENEW_MS) {
    l.typingSentAt = now;
    l.channel.sendTyping(true).catch(() => undefined);
  }
  if (l.typingTimer !== undefined) clearTimeout(l.typingTimer);
  l.typingTimer = setTimeout(() => typingStopped(contact), TYPING_IDLE_MS);
}

export function typingStopped(contact: string): void {
  const l = live.get(contact);
  if (!l || l.typingSentAt === 0) return;
  if (l.typingTimer !== undefined) clearTimeout(l.typingTimer);
  l.typingTimer = undefined;
  l.typingSentAt = 0;
  l.channel.sendTyping(false).catch(() => undefined);
}

/** Our presence changed (status set, tab shown or hidden): tell every connected contact. */
export function broadcastPresence(leaving = false): void {
  const p = leaving ? { status: 'offline' as const, lastSeen: Date.now() } : shownPresence();
  for (const l of live.values()) l.channel.sendPresence(p).catch(() => undefined);
}

/** Starts following chat channels; returns the function that stops it. */
export function startMessaging(): () => void {
  const off = onChannel((contact, channel) => {
    if (channel) attach(contact, channel);
    else detach(contact);
  });
  const onVisibility = () => {
    broadcastPresence();
    void markVisibleChatRead();
  };
  const onLeave = () => broadcastPresence(true);
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onLeave);
  return () => {
    off();
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pagehide', onLeave);
    for (const contact of [...live.keys()]) detach(contact);
    queues.clear();
  };
}
