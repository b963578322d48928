// Test helpers: identities, a raw protocol-level WebSocket client with an awaitable inbox, and
// admin calls. Every wait is bounded and driven by an event (a frame or a close), never a sleep.
import { randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { registerSignedBytes } from '../../src/signaling/protocol.ts';

export const ORIGIN = 'http://127.0.0.1:5173';

export interface Identity {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  hex: string;
}

export function newIdentity(): Identity {
  const { secretKey, publicKey } = ed25519.keygen();
  return { secretKey, publicKey, hex: bytesToHex(publicKey) };
}

/** A fake client IP (a header value only: all traffic stays on loopback). */
export function fakeIp(): string {
  return `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
}

export function wsUrl(keyHex: string): string {
  return `${inject('workerUrl').replace('http', 'ws')}/connect/${keyHex}`;
}

export type Frame = Record<string, unknown> & { type: string };
export interface Closed {
  code: number;
  reason: string;
}

export interface OpenOptions {
  origin?: string;
  ip?: string;
  /**
   * Like the real client, close our side as soon as a frame announces `close` (default true).
   * The close event then carries that code; the reason is in the frame.
   */
  cooperative?: boolean;
}

export class RawClient {
  private readonly inbox: Frame[] = [];
  private waiters: ((f: Frame) => void)[] = [];
  readonly closed: Promise<Closed>;

  private constructor(
    readonly ws: WebSocket,
    cooperative: boolean,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const f = JSON.parse(data.toString()) as Frame;
      if (cooperative && typeof f.close === 'number' && ws.readyState === WebSocket.OPEN) {
        ws.close(f.close);
      }
      const w = this.waiters.shift();
      if (w) w(f);
      else this.inbox.push(f);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  static open(keyHex: string, opts: OpenOptions = {}): Promise<RawClient> {
    const ws = new WebSocket(wsUrl(keyHex), {
      origin: opts.origin ?? ORIGIN,
      headers: { 'CF-Connecting-IP': opts.ip ?? fakeIp() },
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws, opts.cooperative ?? true)));
      ws.once('unexpected-response', (_req, res) => {
        reject(new HttpRefusal(res.statusCode ?? 0, res.headers['retry-after']));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** Next frame, waiting at most `ms`. */
  next(ms = 5000): Promise<Frame> {
    const f = this.inbox.shift();
    if (f) return Promise.resolve(f);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error('no frame within timeout'));
      }, ms);
      const done = (fr: Frame) => {
        clearTimeout(timer);
        resolve(fr);
      };
      this.waiters.push(done);
    });
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  pending(): number {
    return this.inbox.length;
  }

  close(): Promise<Closed> {
    this.ws.close(1000);
    return this.closed;
  }
}

export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: string | string[] | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

export function signRegister(
  id: Identity,
  challenge: string,
  origin = ORIGIN,
  timestamp = Date.now(),
): Frame {
  const msg = registerSignedBytes(challenge, origin, timestamp, id.hex);
  if (!msg) throw new Error('bad register input');
  const signature = bytesToHex(ed25519.sign(msg, id.secretKey));
  return { type: 'register', key: id.hex, timestamp, signature };
}

/** Opens a socket and completes registration; returns the client and its register_ok frame. */
export async function registered(
  id: Identity,
  opts: OpenOptions = {},
): Promise<{ c: RawClient; ok: Frame }> {
  const c = await RawClient.open(id.hex, opts);
  const ch = await c.next();
  if (ch.type !== 'challenge' || typeof ch.challenge !== 'string') throw new Error('no challenge');
  c.send(signRegister(id, ch.challenge, opts.origin ?? ORIGIN));
  const ok = await c.next();
  if (ok.type !== 'register_ok') throw new Error(`registration failed: ${JSON.stringify(ok)}`);
  return { c, ok };
}

export function admin(
  path: string,
  body?: unknown,
  token = inject('adminSecret'),
): Promise<Response> {
  return fetch(`${inject('workerUrl')}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A syntactically valid sealed-looking payload (the Worker only checks base64). */
export function fakePayload(bytes = 48, fill = 7): string {
  return Buffer.alloc(bytes, fill).toString('base64');
}

export interface UpgradeOutcome {
  status: number;
  body: Record<string, unknown> | undefined;
  retryAfter: string | undefined;
}

/**
 * A bare HTTP upgrade attempt, to read refusals (status, Retry-After, JSON body) that WebSocket
 * clients hide. A 101 is torn down at once.
 */
export function tryUpgrade(
  keyHex: string,
  headers: Record<string, string>,
  upgrade = true,
): Promise<UpgradeOutcome> {
  const url = new URL(`${inject('workerUrl')}/connect/${keyHex}`);
  const h: Record<string, string> = upgrade
    ? {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.alloc(16, 1).toString('base64'),
        ...headers,
      }
    : headers;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: h });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: undefined, retryAfter: undefined });
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => {
        let body: Record<string, unknown> | undefined;
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = undefined;
        }
        const ra = res.headers['retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          body,
          retryAfter: typeof ra === 'string' ? ra : undefined,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
