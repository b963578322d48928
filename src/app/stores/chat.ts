// The open chat: one page of history at a time, and sending. Sending stores the message as
// 'pending' in the outbox first; messaging.ts writes it to the contact's session when one is up.

import { listMessages, queueOutgoing } from '../../db/messages.ts';
import type { MessageRecord } from '../../db/schema.ts';
import { flushContact, markVisibleChatRead, typingStopped } from '../net/messaging.ts';
import { wakeContact } from '../net/network.ts';
import { chatState, mergeIntoChat, setChatState } from './chat-view.ts';
import { clearUnread, contactByKey, loadContacts } from './contacts.ts';

export { type ChatState, chatState } from './chat-view.ts';

export const PAGE_SIZE = 50;
export const MAX_MESSAGE_LENGTH = 4000;

/** The history load of the chat being opened; a send typed meanwhile waits for it. */
let opening: Promise<void> | undefined;

export function openChat(contact: string): Promise<void> {
  const load = loadChat(contact);
  opening = load;
  return load.finally(() => {
    if (opening === load) opening = undefined;
  });
}

async function loadChat(contact: string): Promise<void> {
  setChatState({ status: 'loading', contact });
  try {
    const messages = await listMessages(contact, PAGE_SIZE);
    setChatState({ status: 'open', contact, messages, more: messages.length === PAGE_SIZE });
    if ((contactByKey(contact)?.unread ?? 0) > 0) await clearUnread(contact);
    await markVisibleChatRead();
    wakeContact(contact);
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
  // Enter pressed while the history is still loading is not refused: it waits for the load.
  if (chatState().status === 'loading') await opening;
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
  mergeIntoChat([message]);
  typingStopped(s.contact);
  flushContact(s.contact);
  wakeContact(s.contact);
  await loadContacts();
  return 'queued';
}

/** The message a reply points to, if it is in the loaded page. */
export function findMessage(id: string): MessageRecord | undefined {
  const s = chatState();
  return s.status === 'open' ? s.messages.find((m) => m.id === id) : undefined;
}
