import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../crypto/bytes.ts';
import { isPeerlineError } from '../crypto/errors.ts';
import { generateIdentity, unvalidatedX25519FromEdPublic } from '../crypto/identity.ts';
import { bindIdentity } from './identity-binding.ts';

function codeOf(fn: () => unknown): number | string {
  try {
    fn();
  } catch (e) {
    return isPeerlineError(e) ? e.code : String(e);
  }
  return 'no error';
}

function mixedOrder(ed: Uint8Array): Uint8Array {
  const t = fromHex(ED25519_TORSION_SUBGROUP[1] ?? '');
  if (t === undefined) throw new Error('bad torsion point');
  return ed25519.Point.fromBytes(ed).add(ed25519.Point.fromBytes(t)).toBytes();
}

describe('bindIdentity (PROTOCOL.md §2.2)', () => {
  const peer = generateIdentity();
  const other = generateIdentity();
  const rs = peer.x25519.publicKey;

  it('returns a copy of the key when it maps to rs, with or without an expected contact', () => {
    for (const expected of [undefined, peer.edPublicKey]) {
      const ed = bindIdentity(peer.edPublicKey, rs, expected);
      expect(toHex(ed)).toBe(toHex(peer.edPublicKey));
      expect(ed).not.toBe(peer.edPublicKey);
    }
  });

  it('rejects with 1011: another contact, a key not matching rs, no rs, garbage', () => {
    expect(codeOf(() => bindIdentity(peer.edPublicKey, rs, other.edPublicKey))).toBe(1011);
    expect(codeOf(() => bindIdentity(other.edPublicKey, rs, undefined))).toBe(1011);
    expect(codeOf(() => bindIdentity(other.edPublicKey, rs, other.edPublicKey))).toBe(1011);
    expect(codeOf(() => bindIdentity(peer.edPublicKey, undefined, undefined))).toBe(1011);
    expect(codeOf(() => bindIdentity(new Uint8Array(32).fill(2), rs, undefined))).toBe(1011);
    expect(codeOf(() => bindIdentity(new Uint8Array(31), rs, undefined))).toBe(1011);
  });

  it('still validates a key whose plain mapping matches rs (mixed-order point)', () => {
    const mixed = mixedOrder(peer.edPublicKey);
    // The Noise key such a peer would have to own: the plain mapping of the bad key.
    const itsRs = unvalidatedX25519FromEdPublic(mixed);
    expect(codeOf(() => bindIdentity(mixed, itsRs, undefined))).toBe(1011);
    expect(codeOf(() => bindIdentity(mixed, itsRs, mixed))).toBe(1011);
  });
});
