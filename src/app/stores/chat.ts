// The open chat: one page of history at a time, and the outgoing queue. Sending only stores the
// message as 'pending' in the outbox; the session layer (not written yet) will drain it.

import { createSignal } from 'solid-js';
import { listMessages, queueOutgoing } from '../../db/messages.ts';
import { countOutbox } from '../../db/outbox.ts';
import type { MessageRecord } from '../../db/schema.ts';
import { clearUnread, contactByKey, loadContacts } from './contacts.ts';

export const PAGE_SIZE = 50;
export const MAX_MESSAGE_LENGTH = 4000;

export type ChatState =
  | { readonly status: 'closed' }
  | { readonly status: 'loading'; readonly contact: string }
  | {
      readonly status: 'open';
      readonly contact: string;
      readonly messages: readonly MessageRecord[];
      /** Older messages may exist beyond the first one held. */
      readonly more: boolean;
      readonly queued: number;
    }
  | { readonly status: 'failed'; readonly contact: string };

const [chatState, setChatState] = createSignal<ChatState>({ status: 'closed' });

export { chatState };

export async function openChat(contact: string): Promise<void> {
  setChatState({ status: 'loading', contact });
  try {
    const [messages, queued] = await Promise.all([
      listMessages(contact, PAGE_SIZE),
      countOutbox(contact),
    ]);
    setChatState({
      status: 'open',
      contact,
      messages,
      more: messages.length === PAGE_SIZE,
      queued,
    });
    if ((contactByKey(contact)?.unread ?? 0) > 0) await clearUnread(contact);
  } catch {
    setChatState({ status: 'failed', contact });
  }
}

export function closeChat(): void {
  setChatState({ status: 'closed' });
}

export async function loadOlder(): Promise<void> {
  const s = chatState();
  if (s.status !== 'open' || !s.more) return;
  const first = s.messages[0];
  if (!first) return;
  const older = await listMessages(s.contact, PAGE_SIZE, {
    timestamp: first.timestamp,
    id: first.id,
  });
  const now = chatState();
  if (now.status !== 'open' || now.contact !== s.contact) return;
  setChatState({
    ...now,
    messages: [...older, ...now.messages],
    more: older.length === PAGE_SIZE,
  });
}

export type SendResult = 'queued' | 'empty' | 'too-long' | 'not-open';

export async function sendMessage(text: string, replyTo?: string): Promise<SendResult> {
  const s = chatState();
  if (s.status !== 'open') return 'not-open';
  const body = text.trim();
  if (body === '') return 'empty';
  if (body.length > MAX_MESSAGE_LENGTH) return 'too-long';
  const message = await queueOutgoing(
    replyTo === undefined
      ? { contact: s.contact, text: body }
      : { contact: s.contact, text: body, replyTo },
  );
  const now = chatState();
  if (now.status === 'open' && now.contact === s.contact) {
    setChatState({ ...now, messages: [...now.messages, message], queued: now.queued + 1 });
  }
  await loadContacts();
  return 'queued';
}

/** The message a reply points to, if it is in the loaded page. */
export function findMessage(id: string): MessageRecord | undefined {
  const s = chatState();
  return s.status === 'open' ? s.messages.find((m) => m.id === id) : undefined;
}
