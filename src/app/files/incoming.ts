// An incoming offer in the chat: a message of its own (stored once — re-offers keep the
// envelope id), unread, announced, and owed a 'delivered' receipt like any message.

import { saveFileMessage } from '../../db/messages.ts';
import { flushContact, markVisibleChatRead } from '../net/messaging.ts';
import { notifyMessage } from '../net/notify.ts';
import { mergeIntoChat, visibleChat } from '../stores/chat-view.ts';
import { contactByKey, loadContacts } from '../stores/contacts.ts';
import type { TransferRecord } from './engine.ts';

/** `announce`: a notification for an offer that just arrived (not for one restored at start). */
export async function showIncoming(r: TransferRecord, announce: boolean): Promise<void> {
  try {
    const saved = await saveFileMessage({
      contact: r.contact,
      direction: 'in',
      file: r.meta.id,
      name: r.meta.name,
      wireId: r.messageId,
    });
    if (saved.kind === 'new') {
      mergeIntoChat([saved.message]);
      await loadContacts();
      if (announce) {
        const name = contactByKey(r.contact)?.name ?? 'a contact';
        notifyMessage(r.contact, name, `File: ${r.meta.name}`);
      }
      if (visibleChat() === r.contact) await markVisibleChatRead();
    }
    flushContact(r.contact);
  } catch {
    // The contact was deleted meanwhile: there is no chat to show it in.
  }
}
