// One Durable Object per public key (idFromName(key hex)): that key's sockets (hibernatable), its
// offline queue, its per-key rate limit and its ban. docs/signaling.md describes the protocol.
import { DurableObject } from 'cloudflare:workers';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ErrorCode } from '../../src/crypto/errors.ts';
import {
  CloseCode,
  MAX_FRAME_BYTES,
  PING_FRAME,
  PONG_FRAME,
  parseClientMessage,
} from '../../src/signaling/protocol.ts';
import { type Config, type Env, readConfig } from './config.ts';
import { Inbox } from './inbox.ts';
import { activeBan, type Ban } from './ip-limiter.ts';
import { KeyBucket } from './key-bucket.ts';
import { Lifecycle } from './lifecycle.ts';
import { type DeliverResult, SignalQueue } from './queue.ts';
import { RegisteredHandler } from './registered.ts';
import { verifyRegistration } from './registration.ts';
import { SocketTable } from './socket-table.ts';
import { type AttachmentIn, closeSocket, frameTooLarge, sendMessage } from './sockets.ts';
import type { Bucket } from './token-bucket.ts';

interface Meta {
  seq: number;
  ban: Ban | null;
  /** The rate-limit floor (key-bucket.ts), not the live bucket. */
  bucket: Bucket | null;
}

export class KeyObject extends DurableObject<Env> {
  private readonly config: Config;
  private readonly queue: SignalQueue;
  private meta: Meta = { seq: 0, ban: null, bucket: null };
  private bucket: KeyBucket | undefined;
  private readonly sockets: SocketTable;
  private readonly registered: RegisteredHandler;
  private readonly life: Lifecycle;
  private readonly inbox: Inbox;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = readConfig(env);
    this.queue = new SignalQueue(ctx.storage);
    this.sockets = new SocketTable(ctx);
    this.life = new Lifecycle(ctx, env, this.sockets);
    this.inbox = new Inbox(this.config, this.sockets, this.queue, this.life);
    this.registered = new RegisteredHandler({
      config: this.config,
      env,
      takeToken: () => {
        const now = Date.now();
        // Created on first use: `meta` (with the stored floor) is loaded by then.
        this.bucket ??= new KeyBucket(this.config.signalsPerMinute, this.meta.bucket, now);
        const { take, persist } = this.bucket.take(now);
        if (persist) this.saveMeta({ bucket: persist });
        return take;
      },
      deliverHere: (from, payloads) => this.deliver(from, payloads),
    });
    // Keep-alive pings are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    void ctx.blockConcurrencyWhile(async () => {
      this.meta = (await ctx.storage.get<Meta>('meta')) ?? this.meta;
    });
  }

  private saveMeta(patch: Partial<Meta>): void {
    this.meta = { ...this.meta, ...patch };
    void this.ctx.storage.put('meta', this.meta);
  }

  override async fetch(request: Request): Promise<Response> {
    const key = request.headers.get('X-Peerline-Key') ?? '';
    const ip = request.headers.get('X-Peerline-IP') ?? '';
    const origin = request.headers.get('Origin') ?? '';
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    const ban = activeBan(this.meta.ban, Date.now());
    if (ban) {
      // Refused with a reason a browser can read (a plain 403 would be opaque to it).
      const message = `banned: ${ban.reason}`;
      server.accept();
      sendMessage(server, {
        type: 'error',
        code: ErrorCode.PERMISSION_DENIED,
        message,
        close: CloseCode.BANNED,
      });
      closeSocket(server, CloseCode.BANNED, message);
      this.life.releaseIp(key, ip);
      return new Response(null, { status: 101, webSocket: client });
    }
    this.ctx.acceptWebSocket(server);
    const challenge = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
    const now = Date.now();
    const expiresAt = now + this.config.challengeTtlMs;
    this.sockets.set(server, {
      state: 'challenged',
      key,
      ip,
      origin,
      challenge,
      expiresAt,
      openedAt: now,
    });
    sendMessage(server, { type: 'challenge', challenge, expires_at: expiresAt });
    // Unauthenticated sockets are capped per key; the oldest goes, so a retrying owner gets in.
    const pending = this.sockets
      .inState('challenged')
      .sort((a, b) => a.att.openedAt - b.att.openedAt);
    for (const p of pending.slice(0, Math.max(0, pending.length - this.config.maxPendingPerKey))) {
      const message = 'too many unauthenticated connections';
      await this.life.end(
        p.ws,
        {
          type: 'error',
          code: ErrorCode.AUTHENTICATION_FAILED,
          message,
          close: CloseCode.AUTH_FAILED,
        },
        'grace',
      );
    }
    await this.life.scheduleAlarm(expiresAt);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const att = this.sockets.get(ws);
    if (!att) return;
    if (att.state === 'closed') {
      // A kicked client that keeps talking is closed right away, in its own event.
      if (att.owed) closeSocket(ws, att.owed.code, att.owed.reason);
      return;
    }
    const parsed =
      typeof message !== 'string'
        ? ({ ok: false, reason: 'binary frames are not accepted' } as const)
        : frameTooLarge(message, MAX_FRAME_BYTES)
          ? ({ ok: false, reason: `frame larger than ${MAX_FRAME_BYTES} bytes` } as const)
          : parseClientMessage(message);
    if (att.state === 'registered') {
      if (!parsed.ok) {
        const ref = 'ref' in parsed && parsed.ref !== undefined ? { ref: parsed.ref } : {};
        sendMessage(ws, {
          type: 'error',
          code: ErrorCode.INVALID_FORMAT,
          message: parsed.reason,
          ...ref,
        });
        return;
      }
      await this.registered.handle(ws, att, parsed.value);
      return;
    }
    // Before registration only a well-formed `register` is accepted; anything else ends the socket.
    const close = CloseCode.NOT_REGISTERED;
    if (!parsed.ok) {
      await this.life.end(
        ws,
        { type: 'error', code: ErrorCode.INVALID_FORMAT, message: parsed.reason, close },
        'now',
      );
      return;
    }
    if (parsed.value.type !== 'register') {
      await this.life.end(
        ws,
        { type: 'error', code: ErrorCode.AUTHENTICATION_FAILED, message: 'not registered', close },
        'now',
      );
      return;
    }
    const verdict = verifyRegistration(
      att,
      parsed.value,
      Date.now(),
      this.config.registerMaxSkewMs,
    );
    if (!verdict.ok) {
      const { code, message } = verdict;
      await this.life.end(
        ws,
        { type: 'register_failed', code, message, close: CloseCode.AUTH_FAILED },
        'now',
      );
      return;
    }
    await this.register(ws, att);
  }

  private async register(ws: WebSocket, att: AttachmentIn<'challenged'>): Promise<void> {
    const seq = this.meta.seq + 1;
    this.saveMeta({ seq });
    const { key, ip, origin } = att;
    this.sockets.set(ws, { state: 'registered', key, ip, origin, registeredAt: Date.now(), seq });
    const live = this.sockets.inState('registered').sort((a, b) => a.att.seq - b.att.seq);
    const max = this.config.maxConnectionsPerKey;
    const excess = live.slice(0, Math.max(0, live.length - max));
    for (const old of excess) {
      const message = `replaced: more than ${max} connections for this key`;
      const frame = {
        type: 'error',
        code: ErrorCode.PERMISSION_DENIED,
        message,
        close: CloseCode.REPLACED,
      } as const;
      await this.life.end(old.ws, frame, 'grace');
    }
    // Drained before any other event runs (storage I/O holds the input gate), so queued signals
    // reach the new socket in order and ahead of anything routed live afterwards.
    const queued = await this.queue.drain(Date.now());
    sendMessage(ws, {
      type: 'register_ok',
      key,
      connections: live.length - excess.length,
      queued: queued.length,
    });
    for (const q of queued) {
      sendMessage(ws, { type: 'signal', from: q.from, payload: q.payload, queued_at: q.queued_at });
    }
  }

  /** RPC from a sender's Key object (outbox.ts), or this one for a key signalling itself. */
  async deliver(from: string, payloads: string[]): Promise<DeliverResult[]> {
    return this.inbox.deliver(from, payloads);
  }

  /** RPC from the admin endpoint: records the ban and kicks every socket of this key. */
  async ban(reason: string, until: number | null): Promise<number> {
    this.saveMeta({ ban: { reason, until } });
    return this.kickBanned(this.ctx.getWebSockets(), reason);
  }

  async unban(): Promise<void> {
    this.saveMeta({ ban: null });
  }

  async banStatus(): Promise<Ban | null> {
    return activeBan(this.meta.ban, Date.now());
  }

  /** RPC after an IP ban: kicks this key's sockets that came from that IP. */
  async kickIp(ip: string, reason: string): Promise<number> {
    const fromIp = this.ctx.getWebSockets().filter((ws) => this.sockets.get(ws)?.ip === ip);
    return this.kickBanned(fromIp, reason);
  }

  private async kickBanned(sockets: WebSocket[], reason: string): Promise<number> {
    let n = 0;
    for (const ws of sockets) {
      const message = `banned: ${reason}`;
      const frame = {
        type: 'error',
        code: ErrorCode.PERMISSION_DENIED,
        message,
        close: CloseCode.BANNED,
      } as const;
      if (await this.life.end(ws, frame, 'grace')) n++;
    }
    return n;
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.life.closed(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.life.closed(ws, undefined);
  }

  /** Expires challenges, closes kicked sockets whose grace ran out, prunes the queue, re-arms. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.life.alarmFired();
    let next = await this.life.sweep(now);
    const q = await this.queue.prune(now);
    if (q !== undefined) next = Math.min(next, q);
    if (Number.isFinite(next)) await this.life.rearm(next);
  }
}
