import { ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.ts';
import { contactLink, parseContactInput, shortFingerprint } from './contact-link.ts';
import { ErrorCode, isPeerlineError } from './errors.ts';
import { identityFromSeed } from './identity.ts';

// RFC 8032 §7.1 TEST 1 public key: a known-valid point.
const KEY_HEX = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const KEY = fromHex(KEY_HEX) ?? new Uint8Array(0);

describe('parseContactInput', () => {
  it('accepts a bare key, uppercase and surrounding whitespace', () => {
    for (const input of [KEY_HEX, KEY_HEX.toUpperCase(), `  \n${KEY_HEX}\t `]) {
      const r = parseContactInput(input);
      expect(r).toEqual({ ok: true, key: KEY, hex: KEY_HEX });
    }
  });
  it('accepts a link from any origin, reading the fragment', () => {
    for (const input of [
      `https://peerline.example/#${KEY_HEX}`,
      `http://localhost:5173/sub/path/#${KEY_HEX.toUpperCase()}`,
      ` https://other.host/#${KEY_HEX} `,
    ]) {
      const r = parseContactInput(input);
      expect(r.ok && r.hex).toBe(KEY_HEX);
    }
  });
  it('names each failure', () => {
    expect(parseContactInput('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseContactInput('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseContactInput('https://peerline.example/#')).toEqual({ ok: false, reason: 'empty' });
    expect(parseContactInput(KEY_HEX.slice(2))).toEqual({ ok: false, reason: 'wrong-length' });
    expect(parseContactInput(`${KEY_HEX}00`)).toEqual({ ok: false, reason: 'wrong-length' });
    expect(parseContactInput(`${KEY_HEX.slice(1)}g`)).toEqual({ ok: false, reason: 'not-hex' });
    expect(parseContactInput('https://peerline.example/')).toEqual({
      ok: false,
      reason: 'not-hex',
    });
    expect(parseContactInput(KEY_HEX, KEY)).toEqual({ ok: false, reason: 'own-key' });
  });
  it('rejects small-order and off-curve keys as invalid-key', () => {
    for (const t of ED25519_TORSION_SUBGROUP) {
      expect(parseContactInput(t)).toEqual({ ok: false, reason: 'invalid-key' });
    }
    expect(parseContactInput(`02${'00'.repeat(31)}`)).toEqual({ ok: false, reason: 'invalid-key' });
  });
  it('round-trips contactLink for random valid keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const key = identityFromSeed(seed).edPublicKey;
        const r = parseContactInput(contactLink('https://peerline.example', key));
        expect(r.ok && toHex(r.key)).toBe(toHex(key));
        expect(r.ok && r.hex).toBe(toHex(key));
      }),
      { numRuns: 100 },
    );
  });
  it('never throws for arbitrary strings', () => {
    const hexish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF#/: \n') });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), hexish), (s) => {
        const r = parseContactInput(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('contactLink', () => {
  it('puts the lowercase key in the fragment and drops trailing slashes', () => {
    expect(contactLink('https://peerline.example', KEY)).toBe(
      `https://peerline.example/#${KEY_HEX}`,
    );
    expect(contactLink('https://x.example/app//', KEY)).toBe(`https://x.example/app/#${KEY_HEX}`);
  });
  it('rejects a key of the wrong length with INVALID_KEY', () => {
    let caught: unknown;
    try {
      contactLink('https://peerline.example', new Uint8Array(31));
    } catch (e) {
      caught = e;
    }
    expect(isPeerlineError(caught, ErrorCode.INVALID_KEY)).toBe(true);
  });
});

describe('shortFingerprint', () => {
  it('is the first 8 bytes of SHA-256(key) in 4 groups of 4 hex', () => {
    // SHA-256(KEY) = 21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9
    expect(shortFingerprint(KEY)).toBe('21fe 31df a154 a261');
  });
  it('changes when the key changes', () => {
    const other = identityFromSeed(new Uint8Array(32).fill(1)).edPublicKey;
    expect(shortFingerprint(other)).not.toBe(shortFingerprint(KEY));
    expect(shortFingerprint(other)).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
  });
});
