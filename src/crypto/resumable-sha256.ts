// SHA-256 whose state can be saved and restored (FIPS 180-4 §6.2): a file receiver hashes chunk
// by chunk and, after a reload, resumes from its last checkpoint instead of re-reading the file
// (PROTOCOL.md §13). The state is the eight working words H0..H7, the message length and the
// bytes of the incomplete 64-byte block; noble's `_SHA256` keeps exactly these.

import { _SHA256 } from '@noble/hashes/sha2.js';
import type { HashSnapshot } from '../peer/files/types.ts';

const BLOCK_LEN = 64;

function isWord(w: unknown): w is number {
  return typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 0xffff_ffff;
}

export class ResumableSha256 extends _SHA256 {
  /** The state after everything hashed so far; the hash stays usable. */
  snapshot(): HashSnapshot {
    if (this.finished || this.destroyed) throw new Error('hash already finished');
    // get() returns signed 32-bit words (JS bit operations): store them unsigned.
    const words = this.get().map((w) => w >>> 0);
    return { words, length: this.length, pending: this.buffer.slice(0, this.pos) };
  }

  /** A hash that continues from `s`; throws RangeError on a malformed snapshot. */
  static restore(s: HashSnapshot): ResumableSha256 {
    const { words, length, pending } = s;
    if (words.length !== 8 || !words.every(isWord)) throw new RangeError('bad hash state words');
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('bad hash length');
    if (!(pending instanceof Uint8Array) || pending.length !== length % BLOCK_LEN) {
      throw new RangeError('pending bytes do not match the length');
    }
    const h = new ResumableSha256();
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, hh = 0] = words;
    h.set(a | 0, b | 0, c | 0, d | 0, e | 0, f | 0, g | 0, hh | 0);
    h.length = length;
    h.buffer.set(pending);
    h.pos = pending.length;
    return h;
  }
}
