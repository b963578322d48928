// Helpers shared by the Noise tests: build both sides of a handshake and run it to the end.
// Not exported from index.ts.

import type { BackendOptions } from './backend.ts';
import type { KeyPair } from './dh.ts';
import { generateKeyPair } from './dh-noble.ts';
import type { HandshakeOptions } from './handshake-options.ts';
import { HandshakeState } from './handshake-state.ts';
import { parseProtocolName } from './protocol.ts';
import type { TransportState } from './transport.ts';

/** §7.4, §7.5 and §18 pattern names, for tests that sweep them all. */
export const ONE_WAY = ['N', 'K', 'X'];
export const FUNDAMENTAL = ['NN', 'NK', 'NX', 'KN', 'KK', 'KX', 'XN', 'XK', 'XX', 'IN', 'IK', 'IX'];
export const DEFERRED = [
  'NK1',
  'NX1',
  'X1N',
  'X1K',
  'XK1',
  'X1K1',
  'X1X',
  'XX1',
  'X1X1',
  'K1N',
  'K1K',
  'KK1',
  'K1K1',
  'K1X',
  'KX1',
  'K1X1',
  'I1N',
  'I1K',
  'IK1',
  'I1K1',
  'I1X',
  'IX1',
  'I1X1',
];

export interface PairKeys {
  readonly initS: KeyPair;
  readonly respS: KeyPair;
  readonly initE?: KeyPair;
  readonly respE?: KeyPair;
  readonly psks: readonly Uint8Array[];
  readonly prologue: Uint8Array;
}

export function randomKeys(pskCount: number): PairKeys {
  return {
    initS: generateKeyPair(),
    respS: generateKeyPair(),
    psks: Array.from({ length: pskCount }, () => crypto.getRandomValues(new Uint8Array(32))),
    prologue: new Uint8Array([1, 2, 3]),
  };
}

/** Options for one side, giving exactly the keys its pattern calls for. */
export function sideOptions(
  protocolName: string,
  initiator: boolean,
  keys: PairKeys,
  backend?: BackendOptions,
): HandshakeOptions {
  const protocol = parseProtocolName(protocolName);
  if (protocol === undefined) throw new Error(`test: unsupported ${protocolName}`);
  const p = protocol.pattern;
  const [own, other] = initiator ? [keys.initS, keys.respS] : [keys.respS, keys.initS];
  const remotePre = initiator ? p.responderPremessage : p.initiatorPremessage;
  const e = initiator ? keys.initE : keys.respE;
  return {
    protocol,
    initiator,
    prologue: keys.prologue,
    psks: keys.psks,
    // A static key the pattern never uses is simply ignored, so both sides always get one.
    s: own,
    ...(remotePre.includes('s') ? { rs: other.publicKey } : {}),
    ...(e === undefined ? {} : { e }),
    ...(backend === undefined ? {} : { backend }),
  };
}

export interface HandshakeRun {
  readonly init: TransportState;
  readonly resp: TransportState;
  readonly messages: readonly Uint8Array[];
  readonly payloads: readonly Uint8Array[];
}

/** Runs a whole handshake, each message carrying a distinct payload; returns both transports. */
export async function runHandshake(
  protocolName: string,
  keys: PairKeys,
  backends: { init?: BackendOptions; resp?: BackendOptions } = {},
): Promise<HandshakeRun> {
  const init = await HandshakeState.create(sideOptions(protocolName, true, keys, backends.init));
  const resp = await HandshakeState.create(sideOptions(protocolName, false, keys, backends.resp));
  const messages: Uint8Array[] = [];
  const payloads: Uint8Array[] = [];
  for (let i = 0; !init.isFinished; i++) {
    const [w, r] = init.status === 'write' ? [init, resp] : [resp, init];
    const payload = new Uint8Array([i, i + 1, i + 2]);
    const msg = await w.writeMessage(payload);
    messages.push(msg);
    payloads.push(await r.readMessage(msg));
  }
  if (!resp.isFinished) throw new Error('test: responder not finished');
  return { init: init.intoTransport(), resp: resp.intoTransport(), messages, payloads };
}
