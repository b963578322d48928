// Protocol names (Noise rev34 §8): Noise_<pattern>_<dh>_<cipher>_<hash>. Peerline supports the
// 25519 DH functions (§12.1), the AESGCM and ChaChaPoly ciphers (§12.3, §12.4) and SHA256
// (§12.5). Anything else parses to undefined so callers can report "unsupported" cleanly.

import { type HandshakePattern, handshakePattern } from './pattern.ts';

export type DhName = '25519';
export type CipherName = 'AESGCM' | 'ChaChaPoly';
export type HashName = 'SHA256';

export interface NoiseProtocol {
  /** The exact protocol name; its bytes seed the handshake hash (§5.2 InitializeSymmetric). */
  readonly name: string;
  readonly pattern: HandshakePattern;
  readonly dh: DhName;
  readonly cipher: CipherName;
  readonly hash: HashName;
}

const CIPHERS: ReadonlySet<string> = new Set(['AESGCM', 'ChaChaPoly']);

/**
 * Parses e.g. `Noise_XXpsk3_25519_AESGCM_SHA256`. Returns undefined for other prefixes
 * (`NoisePSK_`), unsupported suites (448, BLAKE2s/b, SHA512), unknown patterns and unknown
 * modifiers (`fallback`, `hfs`).
 */
export function parseProtocolName(name: string): NoiseProtocol | undefined {
  const parts = name.split('_');
  if (parts.length !== 5) return undefined;
  const [prefix, patternName, dh, cipher, hash] = parts;
  if (prefix !== 'Noise' || dh !== '25519' || hash !== 'SHA256') return undefined;
  if (cipher === undefined || !CIPHERS.has(cipher) || patternName === undefined) return undefined;
  const pattern = handshakePattern(patternName);
  if (pattern === undefined) return undefined;
  return { name, pattern, dh, cipher: cipher as CipherName, hash };
}
