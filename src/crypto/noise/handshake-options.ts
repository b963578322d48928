// Options of a handshake and the check that they fit the pattern (Noise rev34 §5.3 Initialize:
// pre-message keys must be given; keys the handshake will receive "must be empty").

import { ErrorCode, PeerlineError } from '../errors.ts';
import { type BackendOptions, resolveBackends } from './backend.ts';
import { type CipherFunctions, cipherFunctions } from './cipher.ts';
import {
  assertKeyPairShape,
  type DhFunctions,
  dhFunctions,
  type KeyPair,
  type LocalKeyPair,
} from './dh.ts';
import type { HandshakePattern, Token } from './pattern.ts';
import { type NoiseProtocol, parseProtocolName } from './protocol.ts';
import { assertValidPublicKey } from './x25519-key.ts';

export interface HandshakeOptions {
  /** A protocol name such as `Noise_XX_25519_AESGCM_SHA256`, or a parsed protocol (by its name). */
  readonly protocol: string | NoiseProtocol;
  readonly initiator: boolean;
  readonly prologue?: Uint8Array;
  /** Local static key pair. */
  readonly s?: KeyPair;
  /** Fixed local ephemeral key pair: test vectors only. Normally generated per handshake. */
  readonly e?: KeyPair;
  /** Remote static public key, when the pattern has it as a pre-message (e.g. IK initiator). */
  readonly rs?: Uint8Array;
  /** Remote ephemeral public key, when the pattern has it as a pre-message. */
  readonly re?: Uint8Array;
  /** One 32-byte PSK per `psk` token, in token order (§9). */
  readonly psks?: readonly Uint8Array[];
  readonly backend?: BackendOptions;
}

/** Whether a role needs its static key: in a pre-message, sent, or used in a DH. */
function usesLocalStatic(p: HandshakePattern, initiator: boolean): boolean {
  const pre = initiator ? p.initiatorPremessage : p.responderPremessage;
  if (pre.includes('s')) return true;
  const mine = initiator ? '->' : '<-';
  // First letter of a DH token is the initiator's key, second the responder's (§7.1).
  const dhWithS: readonly Token[] = initiator ? ['se', 'ss'] : ['es', 'ss'];
  return p.messages.some(
    (m) =>
      (m.direction === mine && m.tokens.includes('s')) || m.tokens.some((t) => dhWithS.includes(t)),
  );
}

function fail(detail: string): never {
  throw new PeerlineError(ErrorCode.INVALID_KEY, detail);
}

/** Throws INVALID_KEY naming the first key that is missing, malformed or not allowed. */
export function checkHandshakeKeys(protocol: NoiseProtocol, opts: HandshakeOptions): void {
  const p = protocol.pattern;
  const role = `${p.name} ${opts.initiator ? 'initiator' : 'responder'}`;
  const localPre = opts.initiator ? p.initiatorPremessage : p.responderPremessage;
  const remotePre = opts.initiator ? p.responderPremessage : p.initiatorPremessage;

  if (usesLocalStatic(p, opts.initiator) && opts.s === undefined) {
    fail(`${role} needs a local static key pair (s)`);
  }
  if (opts.s !== undefined) assertKeyPairShape(opts.s, `${role} s`);
  if (localPre.includes('e') && opts.e === undefined) {
    fail(`${role} needs its pre-message ephemeral key pair (e)`);
  }
  if (opts.e !== undefined) assertKeyPairShape(opts.e, `${role} e`);

  for (const [key, value] of [
    ['s', opts.rs],
    ['e', opts.re],
  ] as const) {
    const name = `r${key}`;
    if (remotePre.includes(key)) {
      if (value === undefined)
        fail(`${role} needs the remote ${key === 's' ? 'static' : 'ephemeral'} key (${name})`);
      assertValidPublicKey(value);
    } else if (value !== undefined) {
      // §5.3: keys the handshake receives must start empty; silently ignoring a given one would
      // let a caller believe the peer is checked against it.
      fail(`${role} receives ${name} during the handshake; it must not be given`);
    }
  }

  const psks = opts.psks ?? [];
  if (psks.length !== p.pskCount) fail(`${p.name} needs ${p.pskCount} PSK(s), got ${psks.length}`);
  for (const psk of psks) if (psk.length !== 32) fail('each PSK must be 32 bytes');
}

export interface PreparedHandshake {
  readonly protocol: NoiseProtocol;
  readonly dh: DhFunctions;
  readonly cipher: CipherFunctions;
  readonly s: LocalKeyPair | undefined;
  readonly e: LocalKeyPair | undefined;
  /** Generation of our `e`, started now so it overlaps with the rest of the setup. */
  readonly eNext: Promise<LocalKeyPair> | undefined;
}

/**
 * Everything §5.3 Initialize() needs before hashing: the parsed protocol (VERSION_UNSUPPORTED if
 * unsupported), checked keys (INVALID_KEY), the backends, and local keys imported once.
 */
export async function prepareHandshake(opts: HandshakeOptions): Promise<PreparedHandshake> {
  // A NoiseProtocol object is re-derived from its name: the name seeds h (§5.2), so the pattern
  // must be the one the name denotes, never a hand-edited one.
  const protocol = parseProtocolName(
    typeof opts.protocol === 'string' ? opts.protocol : opts.protocol.name,
  );
  if (protocol === undefined) {
    throw new PeerlineError(ErrorCode.VERSION_UNSUPPORTED, 'unsupported Noise protocol name');
  }
  checkHandshakeKeys(protocol, opts);
  const backends = await resolveBackends(opts.backend);
  const dh = dhFunctions(backends.dh);
  const mine = opts.initiator ? '->' : '<-';
  const sendsE = protocol.pattern.messages.some(
    (m) => m.direction === mine && m.tokens.includes('e'),
  );
  const eNext = opts.e === undefined && sendsE ? dh.generateKeyPair() : undefined;
  eNext?.catch(() => undefined);
  const [s, e] = await Promise.all([
    opts.s === undefined ? undefined : dh.importKeyPair(opts.s),
    opts.e === undefined ? undefined : dh.importKeyPair(opts.e),
  ]);
  return { protocol, dh, cipher: cipherFunctions(protocol.cipher, backends.aes), s, e, eNext };
}
