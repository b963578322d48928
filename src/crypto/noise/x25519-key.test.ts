import { describe, expect, it } from 'vitest';
import { fromHex } from '../bytes.ts';
import { ErrorCode, isPeerlineError } from '../errors.ts';
import { type DhBackendImpl, dhFunctions, withKeyChecks } from './dh.ts';
import { generateKeyPair } from './dh-noble.ts';
import { HandshakeState } from './handshake-state.ts';
import { assertValidPublicKey } from './x25519-key.ts';

const P = 2n ** 255n - 19n;

function le(u: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((u >> BigInt(8 * i)) & 0xffn);
  return out;
}

function hex(h: string): Uint8Array {
  const b = fromHex(h);
  if (b === undefined) throw new Error('bad hex');
  return b;
}

function highBit(k: Uint8Array): Uint8Array {
  const c = k.slice();
  c[31] = (c[31] ?? 0) | 0x80;
  return c;
}

/** The well-known small-order list (libsodium's blocklist) plus p and p+1. */
const LOW_ORDER = [
  le(0n),
  le(1n),
  hex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'),
  hex('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157'),
  le(P - 1n),
  le(P),
  le(P + 1n),
];
const BAD_KEYS = [
  ...LOW_ORDER,
  ...LOW_ORDER.map(highBit),
  le(P + 18n),
  le(2n ** 255n - 1n),
  new Uint8Array(31),
];

function code(f: () => void): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return isPeerlineError(e) ? e.code : -1;
  }
}

describe('X25519 public key checks', () => {
  it('rejects every small-order, non-canonical, high-bit or short key with INVALID_KEY', () => {
    for (const k of BAD_KEYS)
      expect(code(() => assertValidPublicKey(k))).toBe(ErrorCode.INVALID_KEY);
  });

  it('names the rule that rejected a key', () => {
    const detail = (k: Uint8Array): string => {
      try {
        assertValidPublicKey(k);
        return 'accepted';
      } catch (e) {
        return isPeerlineError(e) ? e.detail : 'other';
      }
    };
    expect(detail(le(P))).toMatch(/not canonical/);
    expect(detail(le(P + 1n))).toMatch(/not canonical/);
    expect(detail(le(2n ** 255n - 1n))).toMatch(/not canonical/);
    expect(detail(highBit(le(9n)))).toMatch(/top bit/);
    expect(detail(le(P - 1n))).toMatch(/small order/);
    expect(detail(le(0n))).toMatch(/small order/);
    expect(detail(le(P - 2n))).toBe('accepted');
    expect(detail(le(2n ** 255n - 2n ** 248n))).toBe('accepted');
  });

  it('accepts real keys and the largest canonical u that is not small order', () => {
    expect(code(() => assertValidPublicKey(generateKeyPair().publicKey))).toBeUndefined();
    expect(code(() => assertValidPublicKey(le(P - 2n)))).toBeUndefined();
  });

  it.each(['webcrypto', 'noble'] as const)(
    'DH (%s) refuses bad peer keys before computing',
    async (backend) => {
      const dh = dhFunctions(backend);
      const local = await dh.importKeyPair(generateKeyPair());
      for (const k of BAD_KEYS) {
        await expect(dh.dh(local, k)).rejects.toMatchObject({ code: ErrorCode.INVALID_KEY });
      }
    },
  );

  it('an all-zero DH output is refused even if a backend returns one', async () => {
    const fake: DhBackendImpl = {
      ...dhFunctions('noble'),
      rawDh: async () => new Uint8Array(32),
    };
    const dh = withKeyChecks(fake);
    const local = await dh.importKeyPair(generateKeyPair());
    await expect(dh.dh(local, generateKeyPair().publicKey)).rejects.toMatchObject({
      code: ErrorCode.INVALID_KEY,
    });
  });

  it('a handshake refuses a small-order rs up front and a small-order e in a message', async () => {
    await expect(
      HandshakeState.create({
        protocol: 'Noise_IK_25519_AESGCM_SHA256',
        initiator: true,
        s: generateKeyPair(),
        rs: LOW_ORDER[2] ?? le(0n),
      }),
    ).rejects.toMatchObject({ code: ErrorCode.INVALID_KEY });
    for (const k of BAD_KEYS.filter((b) => b.length === 32)) {
      const resp = await HandshakeState.create({
        protocol: 'Noise_NN_25519_AESGCM_SHA256',
        initiator: false,
      });
      await expect(resp.readMessage(k)).rejects.toMatchObject({ code: ErrorCode.INVALID_KEY });
      expect(resp.status).toBe('failed');
      await expect(resp.writeMessage()).rejects.toMatchObject({ code: ErrorCode.HANDSHAKE_FAILED });
    }
  });
});
