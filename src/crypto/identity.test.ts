import { ED25519_TORSION_SUBGROUP, ed25519, x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from './bytes.ts';
import { ErrorCode, isPeerlineError } from './errors.ts';
import {
  deserializeIdentity,
  generateIdentity,
  type Identity,
  identityFromSeed,
  isValidIdentityKey,
  serializeIdentity,
  sign,
  unvalidatedX25519FromEdPublic,
  VALIDATED_KEYS_MAX,
  validatedKeyCacheSize,
  verify,
  x25519FromEdPublic,
} from './identity.ts';

function hex(s: string): Uint8Array {
  const b = fromHex(s);
  if (b === undefined) throw new Error(`bad test hex: ${s}`);
  return b;
}

function expectCode(fn: () => unknown, code: number): void {
  try {
    fn();
  } catch (e) {
    expect(isPeerlineError(e)).toBe(true);
    expect(isPeerlineError(e) && e.code).toBe(code);
    return;
  }
  throw new Error('expected a PeerlineError');
}

// RFC 8032 §7.1, TEST 1–3.
const RFC8032 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
] as const;

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** Adds L to the little-endian S half: same value mod L, a second encoding of one signature. */
function malleate(sig: Uint8Array): Uint8Array {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i] ?? 0);
  s += L;
  const out = Uint8Array.from(sig);
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

describe('RFC 8032 §7.1 vectors', () => {
  for (const [i, v] of RFC8032.entries()) {
    it(`TEST ${i + 1}: public key, signature bytes, verification`, () => {
      const id = identityFromSeed(hex(v.secret));
      expect(toHex(id.edPublicKey)).toBe(v.public);
      const sig = sign(id, hex(v.message));
      expect(toHex(sig)).toBe(v.signature);
      expect(verify(hex(v.public), hex(v.message), hex(v.signature))).toBe(true);
    });
  }
});

describe('sign / verify', () => {
  const alice = generateIdentity();
  const bob = generateIdentity();
  const msg = utf8('hello peerline');

  it('verifies a valid signature', () => {
    expect(verify(alice.edPublicKey, msg, sign(alice, msg))).toBe(true);
  });
  it('rejects a changed message', () => {
    expect(verify(alice.edPublicKey, utf8('hello peerlinf'), sign(alice, msg))).toBe(false);
  });
  it('rejects a malleated signature (S + L)', () => {
    const sig = sign(alice, msg);
    const bad = malleate(sig);
    expect(toHex(bad)).not.toBe(toHex(sig));
    expect(toHex(bad.subarray(0, 32))).toBe(toHex(sig.subarray(0, 32)));
    expect(verify(alice.edPublicKey, msg, bad)).toBe(false);
  });
  it('rejects a signature made by another key', () => {
    expect(verify(alice.edPublicKey, msg, sign(bob, msg))).toBe(false);
  });
  it('rejects a small-order public key even when the cofactored equation holds', () => {
    // A = R = identity, S = 0 satisfies [8]SB = [8]R + [8]kA for every message. Permissive
    // (ZIP-215) verification accepts it; ours must not.
    const identityPoint = hex(ED25519_TORSION_SUBGROUP[0] ?? '');
    const forged = concatBytes(identityPoint, new Uint8Array(32));
    expect(ed25519.verify(forged, msg, identityPoint, { zip215: true })).toBe(true);
    expect(verify(identityPoint, msg, forged)).toBe(false);
  });
  it('returns false (never throws) for wrong lengths', () => {
    const sig = sign(alice, msg);
    expect(verify(alice.edPublicKey.subarray(0, 31), msg, sig)).toBe(false);
    expect(verify(alice.edPublicKey, msg, sig.subarray(0, 63))).toBe(false);
    expect(verify(alice.edPublicKey, msg, new Uint8Array(0))).toBe(false);
  });
});

describe('X25519 derivation', () => {
  it('matches x25519.getPublicKey(toMontgomerySecret(seed))', () => {
    const seed = new Uint8Array(32).fill(7);
    const id = identityFromSeed(seed);
    const xs = ed25519.utils.toMontgomerySecret(seed);
    expect(toHex(id.x25519.secretKey)).toBe(toHex(xs));
    expect(toHex(id.x25519.publicKey)).toBe(toHex(x25519.getPublicKey(xs)));
    expect(toHex(x25519FromEdPublic(id.edPublicKey))).toBe(toHex(id.x25519.publicKey));
  });
  it('gives the same DH result both ways', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const ab = x25519.getSharedSecret(a.x25519.secretKey, x25519FromEdPublic(b.edPublicKey));
    const ba = x25519.getSharedSecret(b.x25519.secretKey, x25519FromEdPublic(a.edPublicKey));
    expect(toHex(ab)).toBe(toHex(ba));
    expect(ab.some((x) => x !== 0)).toBe(true);
  });
  it('copies the seed so wiping the caller buffer leaves the identity intact', () => {
    const seed = new Uint8Array(32).fill(9);
    const id = identityFromSeed(seed);
    seed.fill(0);
    expect(toHex(id.edSecretKey)).toBe('09'.repeat(32));
  });
  it('rejects a seed of the wrong length', () => {
    expectCode(() => identityFromSeed(new Uint8Array(31)), ErrorCode.INVALID_KEY);
  });
});

describe('x25519FromEdPublic key validation', () => {
  it('rejects all 8 small-order points', () => {
    for (const t of ED25519_TORSION_SUBGROUP) {
      expectCode(() => x25519FromEdPublic(hex(t)), ErrorCode.INVALID_KEY);
      expect(isValidIdentityKey(hex(t))).toBe(false);
    }
  });
  it('rejects a non-canonical y (y = p + 1, i.e. y ≡ 1)', () => {
    expectCode(() => x25519FromEdPublic(hex(`ee${'ff'.repeat(30)}7f`)), ErrorCode.INVALID_KEY);
  });
  it('rejects x = 0 with the sign bit set', () => {
    expectCode(() => x25519FromEdPublic(hex(`01${'00'.repeat(30)}80`)), ErrorCode.INVALID_KEY);
  });
  it('rejects bytes that are not on the curve', () => {
    // y = 2 has no x on Ed25519 ((y²−1)/(dy²+1) is a non-square mod p).
    const notOnCurve = hex(`02${'00'.repeat(31)}`);
    expect(() => ed25519.Point.fromBytes(notOnCurve)).toThrow();
    expectCode(() => x25519FromEdPublic(notOnCurve), ErrorCode.INVALID_KEY);
  });
  it('rejects a mixed-order point A + T', () => {
    const a = generateIdentity().edPublicKey;
    const torsion = ed25519.Point.fromBytes(hex(ED25519_TORSION_SUBGROUP[1] ?? ''));
    const mixed = ed25519.Point.fromBytes(a).add(torsion).toBytes();
    expect(isValidIdentityKey(a)).toBe(true);
    expectCode(() => x25519FromEdPublic(mixed), ErrorCode.INVALID_KEY);
  });
  it('rejects wrong lengths', () => {
    expectCode(() => x25519FromEdPublic(new Uint8Array(33)), ErrorCode.INVALID_KEY);
  });
});

describe('validated-key cache', () => {
  it('answers a repeated key with a fresh copy of the same X25519 key', () => {
    const id = generateIdentity();
    const first = x25519FromEdPublic(id.edPublicKey);
    expect(toHex(first)).toBe(toHex(id.x25519.publicKey));
    first.fill(0);
    const second = x25519FromEdPublic(id.edPublicKey);
    expect(toHex(second)).toBe(toHex(id.x25519.publicKey));
    expect(second).not.toBe(first);
  });
  it('never caches a rejected key: it is rejected again, with the same code', () => {
    const a = generateIdentity().edPublicKey;
    const torsion = ed25519.Point.fromBytes(hex(ED25519_TORSION_SUBGROUP[1] ?? ''));
    const mixed = ed25519.Point.fromBytes(a).add(torsion).toBytes();
    const before = validatedKeyCacheSize();
    for (let i = 0; i < 3; i++) expectCode(() => x25519FromEdPublic(mixed), ErrorCode.INVALID_KEY);
    expect(validatedKeyCacheSize()).toBe(before);
  });
  it('stays bounded, and an evicted key still validates correctly', () => {
    const ids = Array.from({ length: VALIDATED_KEYS_MAX + 20 }, () => generateIdentity());
    for (const id of ids) x25519FromEdPublic(id.edPublicKey);
    expect(validatedKeyCacheSize()).toBe(VALIDATED_KEYS_MAX);
    const evicted = ids[0];
    if (evicted === undefined) throw new Error('no identity');
    expect(toHex(x25519FromEdPublic(evicted.edPublicKey))).toBe(toHex(evicted.x25519.publicKey));
    expect(validatedKeyCacheSize()).toBe(VALIDATED_KEYS_MAX);
  });
  it('the unvalidated map agrees on valid keys but lets a mixed-order point through', () => {
    const id = generateIdentity();
    expect(toHex(unvalidatedX25519FromEdPublic(id.edPublicKey))).toBe(toHex(id.x25519.publicKey));
    const torsion = ed25519.Point.fromBytes(hex(ED25519_TORSION_SUBGROUP[1] ?? ''));
    const mixed = ed25519.Point.fromBytes(id.edPublicKey).add(torsion).toBytes();
    expect(unvalidatedX25519FromEdPublic(mixed)).toHaveLength(32);
    expectCode(() => unvalidatedX25519FromEdPublic(hex(`02${'00'.repeat(31)}`)), 1013);
    expectCode(() => unvalidatedX25519FromEdPublic(new Uint8Array(31)), 1013);
  });
});

describe('serialization', () => {
  const id: Identity = identityFromSeed(new Uint8Array(32).fill(0x42));

  it('is a version tag and the seed, and round-trips', () => {
    const bytes = serializeIdentity(id);
    expect(toHex(bytes)).toBe(`01${'42'.repeat(32)}`);
    const back = deserializeIdentity(bytes);
    expect(toHex(back.edPublicKey)).toBe(toHex(id.edPublicKey));
    expect(toHex(back.x25519.secretKey)).toBe(toHex(id.x25519.secretKey));
    expect(toHex(back.x25519.publicKey)).toBe(toHex(id.x25519.publicKey));
  });
  it('rejects a wrong tag, a short and a long input', () => {
    const bytes = serializeIdentity(id);
    const wrongTag = Uint8Array.from(bytes);
    wrongTag[0] = 0x02;
    expectCode(() => deserializeIdentity(wrongTag), ErrorCode.INVALID_FORMAT);
    expectCode(() => deserializeIdentity(bytes.subarray(0, 32)), ErrorCode.INVALID_FORMAT);
    expectCode(
      () => deserializeIdentity(concatBytes(bytes, new Uint8Array([0]))),
      ErrorCode.INVALID_FORMAT,
    );
    expectCode(() => deserializeIdentity(new Uint8Array(0)), ErrorCode.INVALID_FORMAT);
  });
});
