// The saved state of hash-wasm 4.13's SHA-256 (`IHasher.save()`), read and written as a
// HashSnapshot (FIPS 180-4 §6.2: the working words H0..H7, the message length, the bytes of
// the incomplete block). hash-wasm documents the state as opaque, so sha256-stream.ts checks
// this layout against noble on every new hasher and falls back to noble if it ever differs.
//
//   [0, 4)     tag: the first 4 bytes of a hash of hash-wasm's WASM binary
//   [4, 68)    the current 64-byte block; its first `length mod 64` bytes are pending
//   [68, 76)   bytes hashed so far, u64 little-endian
//   [76, 108)  H0..H7, u32 little-endian each
//   [108, 116) hash-wasm's own fields (digest length), kept from the template

import type { HashSnapshot } from '../peer/files/types.ts';

export const WASM_STATE_LENGTH = 116;
const BLOCK = 4;
const LENGTH = 68;
const WORDS = 76;
const BLOCK_LEN = 64;

export function decodeWasmState(state: Uint8Array): HashSnapshot {
  if (state.length !== WASM_STATE_LENGTH) throw new RangeError('unexpected hash-wasm state');
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  const length = Number(view.getBigUint64(LENGTH, true));
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(view.getUint32(WORDS + 4 * i, true));
  const pending = state.slice(BLOCK, BLOCK + (length % BLOCK_LEN));
  return { words, length, pending };
}

/** `template` is any state saved by the same hash-wasm; `s` must be valid (see ResumableSha256.restore). */
export function encodeWasmState(template: Uint8Array, s: HashSnapshot): Uint8Array {
  const state = template.slice();
  const view = new DataView(state.buffer);
  state.fill(0, BLOCK, BLOCK + BLOCK_LEN);
  state.set(s.pending, BLOCK);
  view.setBigUint64(LENGTH, BigInt(s.length), true);
  for (const [i, w] of s.words.entries()) view.setUint32(WORDS + 4 * i, w, true);
  return state;
}
