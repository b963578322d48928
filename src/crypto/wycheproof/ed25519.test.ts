// Project Wycheproof ed25519_test.json (all 151 cases) through Peerline's own verifier,
// identity.ts `verify` (RFC 8032 §5.1.7 with noble's strict mode, PROTOCOL.md §1.1).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verify } from '../identity.ts';
import { type EddsaCase, parseEddsaFile } from './vector-format.ts';

const file = parseEddsaFile(
  JSON.parse(readFileSync(new URL('./vectors/ed25519_test.json', import.meta.url), 'utf8')),
);

const withResult = (r: EddsaCase['result']): EddsaCase[] =>
  file.cases.filter((c) => c.result === r);

/** `[name, case]` rows so each vector is its own named test. */
const rows = (cases: readonly EddsaCase[]): [string, EddsaCase][] =>
  cases.map((c) => [`tcId ${c.tcId} [${c.flags.join(',')}] ${c.comment}`.trim(), c]);

describe('Wycheproof ed25519_test.json via identity.verify (strict, zip215: false)', () => {
  it('ships every upstream case: 151 = 88 valid + 63 invalid, tcIds 1..151 in order', () => {
    expect(file.cases).toHaveLength(file.numberOfTests);
    expect(file.numberOfTests).toBe(151);
    expect(withResult('valid')).toHaveLength(88);
    expect(withResult('invalid')).toHaveLength(63);
    expect(file.cases.map((c) => c.tcId)).toEqual(file.cases.map((_, i) => i + 1));
  });

  it.each(rows(withResult('valid')))('%s: verifies', (_name, c) => {
    expect(verify(c.publicKey, c.msg, c.sig)).toBe(true);
  });

  it.each(rows(withResult('invalid')))('%s: rejected', (_name, c) => {
    expect(verify(c.publicKey, c.msg, c.sig)).toBe(false);
  });

  // Wycheproof's "acceptable" marks behaviour RFC 8032 leaves open. This snapshot has none;
  // were any added, Peerline's strict policy (PROTOCOL.md §1.1) is to reject them.
  it('acceptable cases (none in this snapshot) are rejected', () => {
    const acceptable = withResult('acceptable');
    expect(acceptable.map((c) => c.tcId)).toEqual([]);
    for (const c of acceptable) expect(verify(c.publicKey, c.msg, c.sig)).toBe(false);
  });

  // Guards against a vacuous pass: a valid signature stops verifying once one bit of it, of
  // the message or of the key changes.
  it('a valid vector fails after a one-bit change to sig, msg or key', () => {
    const c = withResult('valid').find((v) => v.msg.length > 0);
    if (c === undefined) throw new Error('fixture has no valid case with a message');
    const flip = (b: Uint8Array): Uint8Array => {
      const out = b.slice();
      out[0] = (out[0] ?? 0) ^ 1;
      return out;
    };
    expect(verify(c.publicKey, c.msg, c.sig)).toBe(true);
    expect(verify(c.publicKey, c.msg, flip(c.sig))).toBe(false);
    expect(verify(c.publicKey, flip(c.msg), c.sig)).toBe(false);
    expect(verify(flip(c.publicKey), c.msg, c.sig)).toBe(false);
  });

  // So the length gate in verify() is never what rejects a key here: the curve code must.
  it('every group key is 32 bytes', () => {
    for (const c of file.cases) expect(c.publicKey).toHaveLength(32);
  });
});
