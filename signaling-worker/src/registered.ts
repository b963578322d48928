// Messages of a registered socket: route `signal`, mint `ice_servers`. Per-key rate limit applies
// to both. Privacy (issue 4): nothing here logs payloads or (from, to) pairs.
import { ErrorCode } from '../../src/crypto/errors.ts';
import type { ClientMessage } from '../../src/signaling/protocol.ts';
import type { Config, Env } from './config.ts';
import { Outbox } from './outbox.ts';
import type { DeliverResult } from './queue.ts';
import { type Attachment, sendMessage } from './sockets.ts';
import type { Take } from './token-bucket.ts';
import { mintIceServers } from './turn.ts';

type Registered = Extract<Attachment, { state: 'registered' }>;

/** What the handler needs from its Key object (kept narrow: DO methods would be RPC-visible). */
export interface Host {
  config: Config;
  env: Env;
  /** Takes one token from this key's rate-limit bucket. */
  takeToken(): Take;
  /** Delivers into this same object (a key signalling itself needs no RPC). */
  deliverHere(from: string, payloads: string[]): Promise<DeliverResult[]>;
}

export class RegisteredHandler {
  /** Per sender key (all sockets of a Key object share one): its outgoing signals. */
  private readonly outboxes = new Map<string, Outbox>();

  constructor(private readonly owner: Host) {}

  async handle(ws: WebSocket, att: Registered, msg: ClientMessage): Promise<void> {
    const ref = msg.type !== 'register' && msg.ref !== undefined ? { ref: msg.ref } : {};
    if (msg.type === 'register') {
      sendMessage(ws, {
        type: 'error',
        code: ErrorCode.INVALID_FORMAT,
        message: 'already registered',
      });
      return;
    }
    const c = this.owner.config;
    const t = this.owner.takeToken();
    if (!t.ok) {
      sendMessage(ws, {
        type: 'error',
        code: ErrorCode.RATE_LIMITED,
        message: `more than ${c.signalsPerMinute} messages per minute`,
        retry_after: t.retryAfter,
        ...ref,
      });
      return;
    }
    if (msg.type === 'ice_servers') {
      const secret = this.owner.env.TURN_SECRET;
      if (!secret) {
        sendMessage(ws, {
          type: 'error',
          code: ErrorCode.SERVER_UNAVAILABLE,
          message: 'TURN not configured',
          ...ref,
        });
        return;
      }
      const minted = await mintIceServers(
        secret,
        c.turnUrls,
        att.key,
        c.turnTtlSeconds,
        Date.now(),
      );
      sendMessage(ws, { type: 'ice_servers', ...minted, ...ref });
      return;
    }
    // Not awaited: the runtime hands this socket its next frame only once this handler returns, so
    // awaiting the recipient here would make a burst (answer, candidates) one round trip per
    // signal. Routed now, the burst queues behind the first RPC and travels as one batch; the
    // outbox keeps the order and `route` answers the sender when the result is in.
    void this.route(ws, att.key, msg);
  }

  private async route(
    ws: WebSocket,
    from: string,
    msg: Extract<ClientMessage, { type: 'signal' }>,
  ): Promise<void> {
    const ref = msg.ref !== undefined ? { ref: msg.ref } : {};
    let result: DeliverResult;
    try {
      result = await this.forward(from, msg.to, msg.payload);
    } catch {
      sendMessage(ws, {
        type: 'error',
        code: ErrorCode.SERVER_UNAVAILABLE,
        message: 'routing failed',
        ...ref,
      });
      return;
    }
    if (result.status === 'refused') {
      sendMessage(ws, {
        type: 'error',
        code: ErrorCode.RATE_LIMITED,
        message: result.reason,
        retry_after: result.retry_after,
        ...ref,
      });
    } else if (msg.ref !== undefined) {
      sendMessage(
        ws,
        result.status === 'queued'
          ? { type: 'sent', ref: msg.ref, status: 'queued', expires_at: result.expires_at }
          : { type: 'sent', ref: msg.ref, status: 'delivered' },
      );
    }
  }

  private async forward(from: string, to: string, payload: string): Promise<DeliverResult> {
    // `from` is the authenticated key of this object, never a field the client sent.
    if (to === from) {
      const [r] = await this.owner.deliverHere(from, [payload]);
      if (!r) throw new Error('no delivery result');
      return r;
    }
    let out = this.outboxes.get(from);
    if (!out) {
      const ns = this.owner.env.KEYS;
      out = new Outbox(from, (key) => ns.get(ns.idFromName(key)));
      this.outboxes.set(from, out);
    }
    return out.send(to, payload);
  }
}
