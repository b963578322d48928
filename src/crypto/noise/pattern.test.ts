import { describe, expect, it } from 'vitest';
import { basePatterns, formatPattern, handshakePattern, parsePatternNotation } from './pattern.ts';
import { patternProblems } from './pattern-validity.ts';
import { parseProtocolName } from './protocol.ts';
import { DEFERRED, FUNDAMENTAL, ONE_WAY } from './test-support.ts';

describe('pattern table', () => {
  it('holds exactly the 3 one-way, 12 fundamental and 23 deferred patterns', () => {
    expect([...basePatterns().keys()].sort()).toEqual(
      [...ONE_WAY, ...FUNDAMENTAL, ...DEFERRED].sort(),
    );
  });

  it('every pattern satisfies the validity rules (§7.3)', () => {
    for (const p of basePatterns().values())
      expect([p.name, patternProblems(p)]).toEqual([p.name, []]);
  });

  it('parses the spec notation into token lists', () => {
    const xx = parsePatternNotation('XX:\n  -> e\n  <- e, ee, s, es\n  -> s, se');
    expect(xx?.messages).toEqual([
      { direction: '->', tokens: ['e'] },
      { direction: '<-', tokens: ['e', 'ee', 's', 'es'] },
      { direction: '->', tokens: ['s', 'se'] },
    ]);
    const ik = basePatterns().get('IK');
    expect(ik?.responderPremessage).toEqual(['s']);
    expect(ik?.initiatorPremessage).toEqual([]);
    expect(basePatterns().get('K')?.initiatorPremessage).toEqual(['s']);
    expect(formatPattern(basePatterns().get('X1K1') ?? fail())).toBe(
      'X1K1:\n  <- s\n  ...\n  -> e\n  <- e, ee, es\n  -> s\n  <- se',
    );
  });

  it('rejects malformed notation and invalid patterns', () => {
    expect(parsePatternNotation('XX:\n  -> e, zz')).toBeUndefined();
    expect(parsePatternNotation('xx:\n  -> e')).toBeUndefined();
    expect(parsePatternNotation('XX:\n  ...\n')).toBeUndefined();
    const bad = parsePatternNotation('BAD:\n  -> e, es\n  <- e, ee');
    expect(bad && patternProblems(bad)).toEqual(['message 1: es before both keys are known']);
    const noEe = parsePatternNotation('BAD:\n  -> e\n  <- e, s, es');
    expect(noEe && patternProblems(noEe)).toContain(
      'responder sends payload 2 after es without ee',
    );
    const noEs = parsePatternNotation('BAD:\n  -> s\n  <- s\n  ...\n  -> e, ss');
    expect(noEs && patternProblems(noEs)).toContain(
      'initiator sends payload 1 after ss without es',
    );
    const twice = parsePatternNotation('BAD:\n  -> e\n  <- e, ee\n  -> e');
    expect(twice && patternProblems(twice)).toContain('initiator sends e twice');
    const order = parsePatternNotation('BAD:\n  <- e\n  -> e, ee');
    expect(order && patternProblems(order)).toContain('message 1 should be ->');
  });
});

function fail(): never {
  throw new Error('missing pattern');
}

describe('psk modifiers (§9.4)', () => {
  it('psk0 prepends to the first message, pskN appends to message N', () => {
    expect(handshakePattern('XXpsk3')?.messages.map((m) => m.tokens)).toEqual([
      ['e'],
      ['e', 'ee', 's', 'es'],
      ['s', 'se', 'psk'],
    ]);
    expect(handshakePattern('NNpsk0')?.messages[0]?.tokens).toEqual(['psk', 'e']);
    expect(handshakePattern('NNpsk2')?.messages[1]?.tokens).toEqual(['e', 'ee', 'psk']);
    expect(handshakePattern('Npsk0')?.messages[0]?.tokens).toEqual(['psk', 'e', 'es']);
  });

  it('combines modifiers left to right and counts PSKs', () => {
    const p = handshakePattern('XXpsk0+psk1');
    expect(p?.messages[0]?.tokens).toEqual(['psk', 'e', 'psk']);
    expect(p?.pskCount).toBe(2);
    expect(p?.modifiers).toEqual(['psk0', 'psk1']);
    expect(handshakePattern('NNpsk0+psk2')?.pskCount).toBe(2);
  });

  it('refuses unknown, repeated or out-of-range modifiers', () => {
    for (const name of [
      'XXfallback',
      'XXhfs',
      'XXpsk4',
      'XXpsk0+psk0',
      'XXpsk',
      'XXpsk01',
      'XXpsk0+',
      'xx',
      'ZZ',
    ]) {
      expect([name, handshakePattern(name)]).toEqual([name, undefined]);
    }
  });
});

describe('protocol names (§8)', () => {
  it('parses supported names', () => {
    const p = parseProtocolName('Noise_XXpsk3_25519_AESGCM_SHA256');
    expect(p?.cipher).toBe('AESGCM');
    expect(p?.pattern.name).toBe('XXpsk3');
    expect(parseProtocolName('Noise_X1K1_25519_ChaChaPoly_SHA256')?.pattern.base).toBe('X1K1');
  });

  it('returns undefined for unsupported suites and names', () => {
    for (const name of [
      'Noise_XX_448_AESGCM_SHA256',
      'Noise_XX_25519_AESGCM_BLAKE2s',
      'Noise_XX_25519_AESGCM_BLAKE2b',
      'Noise_XX_25519_AESGCM_SHA512',
      'Noise_XX_25519_AESGCM',
      'Noise_XX_25519_AESGCM_SHA256_extra',
      'NoisePSK_XX_25519_AESGCM_SHA256',
      'Noise_XXfallback_25519_AESGCM_SHA256',
      'Noise_QQ_25519_AESGCM_SHA256',
      'Noise_XX_25519_Twofish_SHA256',
      '',
    ]) {
      expect([name, parseProtocolName(name)]).toEqual([name, undefined]);
    }
  });
});
