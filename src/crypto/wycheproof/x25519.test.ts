// Project Wycheproof x25519_test.json (all 518 cases) through Peerline's DH (Noise rev34 §4.1,
// noise/dh.ts `dhFunctions`), on both backends, under the key policy of PROTOCOL.md §1.1.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAllZero, toHex } from '../bytes.ts';
import { ErrorCode } from '../errors.ts';
import { type DhBackend, webCryptoHasX25519 } from '../noise/backend.ts';
import { dhFunctions } from '../noise/dh.ts';
import { publicKeyOf } from '../noise/dh-noble.ts';
import { assertValidPublicKey } from '../noise/x25519-key.ts';
import { parseXdhFile, type XdhCase } from './vector-format.ts';

const file = parseXdhFile(
  JSON.parse(readFileSync(new URL('./vectors/x25519_test.json', import.meta.url), 'utf8')),
);

/**
 * Flag → expectation table. A REJECT flag means Peerline must throw PeerlineError INVALID_KEY
 * (PROTOCOL.md §1.1). A COMPUTE flag says nothing about rejection under our policy, so the DH
 * output must equal Wycheproof's `shared`; when a case has both kinds, REJECT wins. A flag in
 * neither table fails the suite.
 */
const REJECT: Readonly<Record<string, string>> = {
  LowOrderPublic: 'small-order peer key (SMALL_ORDER list, else all-zero output)',
  ZeroSharedSecret: 'all-zero DH output',
  NonCanonicalPublic: 'top bit set or u >= 2^255-19',
};
const COMPUTE: Readonly<Record<string, string>> = {
  Normal: 'ordinary key pair',
  Ktv: 'RFC 7748 / RFC 8037 known answer',
  Twist: 'twist points are not rejected by Peerline',
  SpecialPublicKey: 'arithmetic edge case, canonical encoding',
  SmallPublicKey: 'in this snapshot only ever together with LowOrderPublic',
  EdgeCaseMultiplication: 'ladder edge case',
  EdgeCasePrivateKey: 'scalar edge case (clamping applies)',
  EdgeCaseShared: 'unusual but non-zero output',
};

const P = 2n ** 255n - 19n;

/** PROTOCOL.md §1.1 encoding rules, applied to the bytes whatever the flags say. */
function encodingReasons(pub: Uint8Array): string[] {
  const reasons: string[] = [];
  if (((pub[31] ?? 0) & 0x80) !== 0) reasons.push('top bit set');
  let u = 0n;
  for (let i = 31; i >= 0; i--) u = (u << 8n) | BigInt((pub[i] ?? 0) & (i === 31 ? 0x7f : 0xff));
  if (u >= P) reasons.push('u >= p');
  return reasons;
}

type Expectation =
  | { readonly kind: 'shared'; readonly shared: Uint8Array }
  | { readonly kind: 'reject'; readonly reasons: readonly string[] }
  | { readonly kind: 'undocumented'; readonly why: string };

function expectationFor(c: XdhCase): Expectation {
  const unknown = c.flags.filter((f) => !(f in REJECT) && !(f in COMPUTE));
  if (unknown.length > 0) return { kind: 'undocumented', why: `flags ${unknown.join(',')}` };
  const reasons = [
    ...c.flags.filter((f) => f in REJECT),
    ...encodingReasons(c.publicKey),
    ...(isAllZero(c.shared) ? ['expected output all zero'] : []),
  ];
  if (reasons.length > 0) return { kind: 'reject', reasons };
  if (c.result === 'invalid') return { kind: 'undocumented', why: 'invalid, no rejection rule' };
  return { kind: 'shared', shared: c.shared };
}

const cases = file.cases.map((c) => ({ c, e: expectationFor(c) }));

function describeCase(c: XdhCase, e: Expectation): string {
  const want =
    e.kind === 'shared'
      ? 'shared secret matches'
      : e.kind === 'reject'
        ? `INVALID_KEY (${e.reasons.join('; ')})`
        : `UNDOCUMENTED (${e.why})`;
  return `tcId ${c.tcId} [${c.flags.join(',')}] ${c.result} -> ${want}`;
}

/** DH(our private key, their public key) through the project's backend with its key checks. */
async function projectDh(backend: DhBackend, c: XdhCase): Promise<Uint8Array> {
  const dh = dhFunctions(backend);
  const local = await dh.importKeyPair({
    secretKey: c.privateKey.slice(),
    publicKey: publicKeyOf(c.privateKey),
  });
  return dh.dh(local, c.publicKey.slice());
}

describe('Wycheproof x25519_test.json: flag -> expectation table', () => {
  it.each(Object.entries(REJECT))('flag %s -> PeerlineError INVALID_KEY (%s)', (flag) => {
    expect(file.cases.some((c) => c.flags.includes(flag))).toBe(true);
  });

  it.each(Object.entries(COMPUTE))(
    'flag %s (without a REJECT flag) -> output equals Wycheproof shared (%s)',
    (flag) => {
      expect(file.cases.some((c) => c.flags.includes(flag))).toBe(true);
    },
  );

  it('every flag in the file is in exactly one table', () => {
    for (const f of file.notes) expect([f in REJECT, f in COMPUTE].filter(Boolean)).toHaveLength(1);
  });

  it('every case has a documented expectation', () => {
    const undocumented = cases.filter(({ e }) => e.kind === 'undocumented');
    expect(undocumented.map(({ c }) => c.tcId)).toEqual([]);
  });

  // The DH output check is defence in depth: on this snapshot the key check alone already
  // refuses exactly the cases the table rejects, before any scalar multiplication.
  it('assertValidPublicKey alone refuses exactly the rejected cases', () => {
    const refused = file.cases.filter((c) => {
      try {
        assertValidPublicKey(c.publicKey);
        return false;
      } catch {
        return true;
      }
    });
    const rejected = cases.filter(({ e }) => e.kind === 'reject').map(({ c }) => c.tcId);
    expect(refused.map((c) => c.tcId)).toEqual(rejected);
  });

  it('ships all 518 cases: 474 computed (264 valid + 210 acceptable), 44 rejected', () => {
    expect(file.cases).toHaveLength(file.numberOfTests);
    expect(file.numberOfTests).toBe(518);
    const computed = cases.filter(({ e }) => e.kind === 'shared').map(({ c }) => c.result);
    expect(computed.filter((r) => r === 'valid')).toHaveLength(264);
    expect(computed.filter((r) => r === 'acceptable')).toHaveLength(210);
    expect(cases.filter(({ e }) => e.kind === 'reject')).toHaveLength(44);
    // Every rejected case is one Wycheproof itself calls "acceptable" (a policy choice).
    const rejected = cases.filter(({ e }) => e.kind === 'reject').map(({ c }) => c.result);
    expect(new Set(rejected)).toEqual(new Set(['acceptable']));
  });
});

describe.each<DhBackend>(['noble', 'webcrypto'])(
  'Wycheproof X25519 via dhFunctions(%s)',
  (backend) => {
    it('backend is available in this runtime', async () => {
      expect(backend === 'noble' || (await webCryptoHasX25519())).toBe(true);
    });

    it.each(cases.map(({ c, e }) => [describeCase(c, e), c, e] as const))(
      '%s',
      async (_name, c, e) => {
        if (e.kind === 'undocumented') throw new Error(`tcId ${c.tcId}: ${e.why}`);
        if (e.kind === 'shared') {
          expect(toHex(await projectDh(backend, c))).toBe(toHex(e.shared));
        } else {
          await expect(projectDh(backend, c)).rejects.toMatchObject({
            name: 'PeerlineError',
            code: ErrorCode.INVALID_KEY,
          });
        }
      },
    );

    // Guards against a vacuous pass: another private key gives another output.
    it('output depends on the private key', async () => {
      const found = cases.find(({ e }) => e.kind === 'shared');
      if (found === undefined) throw new Error('fixture has no computed case');
      const other = found.c.privateKey.slice();
      other[1] = (other[1] ?? 0) ^ 1;
      const out = await projectDh(backend, { ...found.c, privateKey: other });
      expect(toHex(out)).not.toBe(toHex(found.c.shared));
    });
  },
);
