import { gcm } from '@noble/ciphers/aes.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from './bytes.ts';
import { isPeerlineError } from './errors.ts';
import {
  type OpenOptions,
  open,
  ReplayCache,
  SEAL_KDF_LABEL,
  SEAL_MAX_SKEW_MS,
  SEAL_OVERHEAD,
  type Signer,
  seal,
} from './seal.ts';

function signer(seedByte: number): Signer {
  const secretKey = new Uint8Array(32).fill(seedByte);
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

const alice = signer(1);
const bob = signer(2);
const mallory = signer(3);
const NOW = 1_800_000_000_000;

function opts(over: Partial<OpenOptions> = {}): OpenOptions {
  return {
    recipient: bob,
    claimedSender: alice.publicKey,
    replay: new ReplayCache(),
    now: NOW,
    ...over,
  };
}

function code(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    if (isPeerlineError(e)) return e.code;
    throw e;
  }
  return undefined;
}

/** Encrypts a chosen plaintext exactly as the documented construction does (docs/signaling.md). */
function sealRaw(
  plaintext: Uint8Array,
  ephSecret: Uint8Array,
  recipientEd: Uint8Array,
): Uint8Array {
  const eph = x25519.getPublicKey(ephSecret);
  const rx = ed25519.utils.toMontgomery(recipientEd);
  const dh = x25519.getSharedSecret(ephSecret, rx);
  const okm = hkdf(
    sha256,
    dh,
    concatBytes(eph, rx),
    concatBytes(utf8(SEAL_KDF_LABEL), recipientEd),
    44,
  );
  const header = concatBytes(new Uint8Array([1]), eph);
  return concatBytes(header, gcm(okm.slice(0, 32), okm.slice(32, 44), header).encrypt(plaintext));
}

function decryptRaw(sealed: Uint8Array, recipient: Signer): Uint8Array {
  const eph = sealed.slice(1, 33);
  const rx = ed25519.utils.toMontgomery(recipient.publicKey);
  const dh = x25519.getSharedSecret(ed25519.utils.toMontgomerySecret(recipient.secretKey), eph);
  const info = concatBytes(utf8(SEAL_KDF_LABEL), recipient.publicKey);
  const okm = hkdf(sha256, dh, concatBytes(eph, rx), info, 44);
  return gcm(okm.slice(0, 32), okm.slice(32, 44), sealed.slice(0, 33)).decrypt(sealed.slice(33));
}

describe('seal/open', () => {
  const payload = utf8('{"sdp":"v=0 ..."}');

  it('round-trips payload, sender, timestamp and id', () => {
    const id = new Uint8Array(16).fill(9);
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW, id });
    expect(sealed.length).toBe(SEAL_OVERHEAD + payload.length);
    const o = open(sealed, opts());
    expect(o.payload).toEqual(payload);
    expect(o.sender).toEqual(alice.publicKey);
    expect(o.timestamp).toBe(NOW);
    expect(o.id).toEqual(id);
  });

  it('follows the documented byte layout', () => {
    const eph = new Uint8Array(32).fill(5);
    const id = new Uint8Array(16).fill(7);
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW, id, ephemeralSecret: eph });
    expect(sealed[0]).toBe(1);
    expect(sealed.slice(1, 33)).toEqual(x25519.getPublicKey(eph));
    const pt = decryptRaw(sealed, bob);
    expect(pt.slice(0, 32)).toEqual(alice.publicKey);
    expect(new DataView(pt.buffer, pt.byteOffset + 32, 8).getBigUint64(0)).toBe(BigInt(NOW));
    expect(pt.slice(40, 56)).toEqual(id);
    expect(pt.slice(120)).toEqual(payload);
    const signed = concatBytes(
      utf8('peerline-seal/1/sig'),
      new Uint8Array([0]),
      bob.publicKey,
      sealed.slice(1, 33),
      alice.publicKey,
      pt.slice(32, 40),
      id,
      payload,
    );
    expect(ed25519.verify(pt.slice(56, 120), signed, alice.publicKey, { zip215: false })).toBe(
      true,
    );
  });

  it('rejects any single flipped bit (1009 version, 1013 a non-canonical E, 1003 otherwise)', () => {
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW });
    // E is bytes 1..32; its top bit is the last bit of byte 32: flipping it makes E invalid.
    const E_TOP_BIT = 32 * 8 + 7;
    const expected = (bit: number) => (bit < 8 ? 1009 : bit === E_TOP_BIT ? 1013 : 1003);
    fc.assert(
      fc.property(fc.nat({ max: sealed.length * 8 - 1 }), (bit) => {
        const t = sealed.slice();
        t[bit >> 3] = (t[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(code(() => open(t, opts()))).toBe(expected(bit));
      }),
      { numRuns: 200, examples: [[E_TOP_BIT], [0], [8], [E_TOP_BIT - 1]] },
    );
  });

  it('only the addressed recipient can open it (1003)', () => {
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW });
    expect(code(() => open(sealed, opts({ recipient: mallory })))).toBe(1003);
  });

  it('detects a rewritten `from` (1011)', () => {
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW });
    expect(code(() => open(sealed, opts({ claimedSender: mallory.publicKey })))).toBe(1011);
  });

  it('detects a re-encryption under another ephemeral key: the signature covers E (1002)', () => {
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW });
    const pt = decryptRaw(sealed, bob);
    const resealed = sealRaw(pt, new Uint8Array(32).fill(11), bob.publicKey);
    expect(code(() => open(resealed, opts()))).toBe(1002);
  });

  it('detects a forged signature on a well-encrypted plaintext (1002)', () => {
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW });
    const pt = decryptRaw(sealed, bob);
    pt[120] = (pt[120] ?? 0) ^ 1; // payload changed under the same signature
    const forged = sealRaw(pt, new Uint8Array(32).fill(12), bob.publicKey);
    expect(code(() => open(forged, opts()))).toBe(1002);
  });

  it('refuses stale and far-future timestamps (1007)', () => {
    const old = seal(alice, bob.publicKey, payload, { now: NOW - SEAL_MAX_SKEW_MS - 1 });
    expect(code(() => open(old, opts()))).toBe(1007);
    const future = seal(alice, bob.publicKey, payload, { now: NOW + SEAL_MAX_SKEW_MS + 1 });
    expect(code(() => open(future, opts()))).toBe(1007);
    const edge = seal(alice, bob.publicKey, payload, { now: NOW - SEAL_MAX_SKEW_MS });
    expect(open(edge, opts()).timestamp).toBe(NOW - SEAL_MAX_SKEW_MS);
  });

  it('refuses a replay within the window (1007), across cache lookups of one recipient', () => {
    const replay = new ReplayCache();
    const sealed = seal(alice, bob.publicKey, payload, { now: NOW });
    expect(open(sealed, opts({ replay })).payload).toEqual(payload);
    expect(code(() => open(sealed, opts({ replay })))).toBe(1007);
    expect(code(() => open(sealed, opts({ replay, now: NOW + 60_000 })))).toBe(1007);
  });

  it('refuses low-order ephemeral keys (all-zero DH) with 1013', () => {
    const good = seal(alice, bob.publicKey, payload, { now: NOW });
    for (const u of [0, 1]) {
      const t = good.slice();
      t.fill(0, 1, 33);
      t[1] = u;
      expect(code(() => open(t, opts()))).toBe(1013);
    }
  });

  it('refuses an ephemeral key with its top bit set (1013), even when sealed and signed over it', () => {
    // X25519 ignores the top bit, so without the check this E' would open like E (PROTOCOL §1.1).
    const ephSecret = new Uint8Array(32).fill(5);
    const eph = x25519.getPublicKey(ephSecret);
    const bent = eph.slice();
    bent[31] = (bent[31] ?? 0) | 0x80;
    const rx = ed25519.utils.toMontgomery(bob.publicKey);
    const dh = x25519.getSharedSecret(ephSecret, rx);
    const info = concatBytes(utf8(SEAL_KDF_LABEL), bob.publicKey);
    const okm = hkdf(sha256, dh, concatBytes(bent, rx), info, 44);
    const ts = new Uint8Array(8);
    new DataView(ts.buffer).setBigUint64(0, BigInt(NOW));
    const id = new Uint8Array(16).fill(4);
    const sig = ed25519.sign(
      concatBytes(
        utf8('peerline-seal/1/sig'),
        new Uint8Array([0]),
        bob.publicKey,
        bent,
        alice.publicKey,
        ts,
        id,
        payload,
      ),
      alice.secretKey,
    );
    const header = concatBytes(new Uint8Array([1]), bent);
    const plaintext = concatBytes(alice.publicKey, ts, id, sig, payload);
    const sealed = concatBytes(
      header,
      gcm(okm.slice(0, 32), okm.slice(32, 44), header).encrypt(plaintext),
    );
    expect(code(() => open(sealed, opts()))).toBe(1013);
    // The same construction with the canonical E opens: the test builds a valid signal.
    const fine = seal(alice, bob.publicKey, payload, { now: NOW, id, ephemeralSecret: ephSecret });
    expect(open(fine, opts()).payload).toEqual(payload);
  });

  it('refuses truncated input (1000) and a recipient that is not a curve point (1013)', () => {
    expect(code(() => open(new Uint8Array(SEAL_OVERHEAD - 1).fill(1), opts()))).toBe(1000);
    const notAPoint = new Uint8Array(32).fill(0xff);
    expect(code(() => seal(alice, notAPoint, payload))).toBe(1013);
  });
});

describe('ReplayCache', () => {
  it('forgets expired entries and stays within capacity', () => {
    const c = new ReplayCache(3);
    expect(c.add('a', 100, 0)).toBe(true);
    expect(c.add('a', 100, 50)).toBe(false);
    expect(c.add('a', 200, 100)).toBe(true); // expired, so not a replay any more
    for (const k of ['b', 'c', 'd', 'e']) c.add(k, 1_000, 150);
    expect(c.size).toBe(3);
  });
});
