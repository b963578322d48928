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
import { activeBan, type Ban } from './ip-limiter.ts';
import { Lifecycle } from './lifecycle.ts';
import { type DeliverResult, SignalQueue } from './queue.ts';
import { RegisteredHandler } from './registered.ts';
import { verifyRegistration } from './registration.ts';
import {
  type AttachmentIn,
  attachment,
  closeSocket,
  frameBytes,
  sendFrame,
  sendMessage,
  setAttachment,
  socketsIn,
} from './sockets.ts';
import { type Bucket, fullBucket, take } from './token-bucket.ts';

interface Meta {
  seq: number;
  ban: Ban | null;
  bucket: Bucket | null;
}

export class KeyObject extends DurableObject<Env> {
  private readonly config: Config;
  private readonly queue: SignalQueue;
  private meta: Meta = { seq: 0, ban: null, bucket: null };
  private readonly registered: RegisteredHandler;
  private readonly life: Lifecycle;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = readConfig(env);
    this.queue = new SignalQueue(ctx.storage);
    this.life = new Lifecycle(ctx, env);
    this.registered = new RegisteredHandler({
      config: this.config,
      env,
      takeToken: () => {
        const per = this.config.signalsPerMinute;
        const now = Date.now();
        const t = take(this.meta.bucket ?? fullBucket(per, now), per, per, now);
        // Persisted only once a key has spent a tenth of its budget: ordinary clients cost no
        // storage write per signal, and a heavy sender's bucket survives eviction.
        if (t.bucket.tokens < per * 0.9) this.saveMeta({ bucket: t.bucket });
        else this.meta = { ...this.meta, bucket: t.bucket };
        return t;
      },
      deliverHere: (from, payload) => this.deliver(from, payload),
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
    setAttachment(server, {
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
    const pending = socketsIn(this.ctx, 'challenged').sort(
      (a, b) => a.att.openedAt - b.att.openedAt,
    );
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
    const att = attachment(ws);
    if (!att) return;
    if (att.state === 'closed') {
      // A kicked client that keeps talking is closed right away, in its own event.
      if (att.owed) closeSocket(ws, att.owed.code, att.owed.reason);
      return;
    }
    const parsed =
      typeof message !== 'string'
        ? ({ ok: false, reason: 'binary frames are not accepted' } as const)
        : frameBytes(message) > MAX_FRAME_BYTES
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
    setAttachment(ws, { state: 'registered', key, ip, origin, registeredAt: Date.now(), seq });
    const live = socketsIn(this.ctx, 'registered').sort((a, b) => a.att.seq - b.att.seq);
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

  /** RPC from the sender's Key object (or this one): deliver live, else queue. */
  async deliver(from: string, payload: string): Promise<DeliverResult> {
    const live = socketsIn(this.ctx, 'registered');
    if (live.length > 0) {
      const frame = JSON.stringify({ type: 'signal', from, payload });
      for (const { ws } of live) sendFrame(ws, frame);
      return { status: 'delivered' };
    }
    const c = this.config;
    const limits = {
      maxSignals: c.queueMaxSignals,
      maxBytes: c.queueMaxBytes,
      ttlMs: c.queueTtlMs,
    };
    const r = await this.queue.push(from, payload, limits, Date.now());
    if (!r.ok) return { status: 'refused', retry_after: r.retry_after, reason: r.reason };
    await this.life.scheduleAlarm(r.expires_at);
    return { status: 'queued', expires_at: r.expires_at };
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
    const fromIp = this.ctx.getWebSockets().filter((ws) => attachment(ws)?.ip === ip);
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
    let next = await this.life.sweep(now);
    const q = await this.queue.prune(now);
    if (q !== undefined) next = Math.min(next, q);
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next);
  }
}
