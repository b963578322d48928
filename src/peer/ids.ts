// Message ids (PROTOCOL.md §5): 128 random bits as 32 lowercase hex characters. Random rather
// than counters so ids never collide across sessions or devices and reveal no message count.

import { toHex } from '../crypto/bytes.ts';

export const MESSAGE_ID_PATTERN = /^[0-9a-f]{32}$/;

export function newMessageId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

export function isMessageId(value: unknown): value is string {
  return typeof value === 'string' && MESSAGE_ID_PATTERN.test(value);
}
