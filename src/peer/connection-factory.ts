// Assembles a Connection from a finished handshake: transport keys with their rekey schedule,
// the re-handshake machine bound to the authenticated static key, and the heartbeat.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import type { Identity } from '../crypto/identity.ts';
import type { BackendOptions } from '../crypto/noise/index.ts';
import type { Clock } from './clock.ts';
import { Connection, type ConnectionHost } from './connection.ts';
import type { HandshakeOutcome } from './handshake.ts';
import { Heartbeat } from './heartbeat.ts';
import type { SessionLimits } from './limits.ts';
import { Rehandshake } from './rehandshake.ts';
import { Transport } from './transport.ts';

export interface ConnectionConfig {
  readonly role: 'initiator' | 'responder';
  readonly identity: Identity;
  readonly backend: BackendOptions | undefined;
  readonly clock: Clock;
  readonly limits: SessionLimits;
  readonly ownMaxFrame: number;
}

export function openConnection(
  host: ConnectionHost,
  outcome: HandshakeOutcome,
  cfg: ConnectionConfig,
): Connection {
  const { transport: keys, peer } = outcome;
  if (keys.remoteStatic === undefined) {
    throw new PeerlineError(ErrorCode.HANDSHAKE_FAILED, 'handshake ended without a remote key');
  }
  const transport = new Transport(keys.send, keys.recv, peer.version, cfg.limits, () =>
    cfg.clock.now(),
  );
  const rehandshakes = new Rehandshake(cfg.role, cfg.identity, keys.remoteStatic, cfg.backend);
  let pingSeq = 0;
  const heartbeat = new Heartbeat(cfg.clock, cfg.limits, {
    ping: () => conn.sendControl({ type: 'ping', payload: { seq: pingSeq++ } }),
    timeout: () => host.timeout(),
    // §4.2: only the original initiator starts re-handshakes.
    rehandshake:
      cfg.role === 'initiator'
        ? () => void conn.startRehandshake()?.catch(() => undefined)
        : undefined,
  });
  const conn: Connection = new Connection(
    host,
    peer,
    transport,
    rehandshakes,
    heartbeat,
    cfg.ownMaxFrame,
  );
  return conn;
}
