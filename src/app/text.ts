// User-facing wording that more than one screen needs.

import type { ParseFailure } from '../crypto/contact-link.ts';
import type { MessageState } from '../db/schema.ts';

/** Why a pasted link or key cannot be added, in words a person can act on. */
export const INPUT_PROBLEM: Readonly<Record<ParseFailure, string>> = {
  empty: 'Paste a Peerline link or a 64-character key.',
  'wrong-length':
    'This key has the wrong length. A Peerline key is exactly 64 characters (0–9, a–f): check that the whole link was copied.',
  'not-hex':
    'This is not a Peerline key. After the “#” a link has only the characters 0–9 and a–f.',
  'own-key': 'This is your own link. Send it to others; to add someone, open or paste their link.',
  'invalid-key':
    'This key is not a valid public key, although it has the right form. Ask for the link again.',
};

export const STATE_LABEL: Readonly<Record<MessageState, string>> = {
  pending: 'Waiting to be sent',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** Time today, date otherwise: what a chat list shows. */
export function shortTime(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  return new Date(now).toDateString() === d.toDateString()
    ? timeFormat.format(d)
    : dateFormat.format(d);
}

export function fullTime(ms: number): string {
  return new Date(ms).toLocaleString();
}
