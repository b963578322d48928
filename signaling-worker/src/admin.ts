// Admin endpoint (seed 000 "ban list", "kick with reason"): bans keys and IPs, kicks their live
// sockets with the reason. Protected by the ADMIN_SECRET bearer token; disabled when unset.
import { ErrorCode } from '../../src/crypto/errors.ts';
import { isKeyHex, utf8Length } from '../../src/signaling/protocol.ts';
import type { Env } from './config.ts';

const MAX_TARGETS = 100;
const MAX_REASON_BYTES = 100;
const IP = /^[0-9A-Fa-f.:]{2,45}$/;

function problem(status: number, code: number, message: string): Response {
  return Response.json({ code, message }, { status });
}

async function digest(s: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
}

/** Constant-time token check: both sides hashed first so lengths never leak through timing. */
async function authorized(request: Request, secret: string): Promise<boolean> {
  const header = request.headers.get('Authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  const [a, b] = await Promise.all([digest(token), digest(secret)]);
  return crypto.subtle.timingSafeEqual(a, b) && token.length > 0;
}

interface Targets {
  keys: string[];
  ips: string[];
}

function targets(body: Record<string, unknown>): Targets | string {
  const keys = body.keys ?? [];
  const ips = body.ips ?? [];
  if (!Array.isArray(keys) || !keys.every(isKeyHex)) return 'keys must be 64-hex public keys';
  if (!Array.isArray(ips) || !ips.every((ip) => typeof ip === 'string' && IP.test(ip))) {
    return 'ips must be IPv4/IPv6 addresses';
  }
  if (keys.length + ips.length === 0 || keys.length + ips.length > MAX_TARGETS) {
    return `between 1 and ${MAX_TARGETS} keys and ips`;
  }
  return { keys, ips };
}

async function readBody(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const v: unknown = await request.json();
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export async function handleAdmin(request: Request, env: Env, url: URL): Promise<Response> {
  if (!env.ADMIN_SECRET) return problem(503, ErrorCode.SERVER_UNAVAILABLE, 'admin disabled');
  if (!(await authorized(request, env.ADMIN_SECRET))) {
    return problem(401, ErrorCode.AUTHENTICATION_FAILED, 'bad admin token');
  }
  const keyStub = (k: string) => env.KEYS.get(env.KEYS.idFromName(k));
  const ipStub = (ip: string) => env.IPS.get(env.IPS.idFromName(ip));

  if (request.method === 'GET' && url.pathname === '/admin/bans') {
    const key = url.searchParams.get('key');
    const ip = url.searchParams.get('ip');
    return Response.json({
      key: key && isKeyHex(key) ? await keyStub(key).banStatus() : null,
      ip: ip && IP.test(ip) ? (await ipStub(ip).status()).ban : null,
    });
  }
  if (request.method !== 'POST')
    return problem(405, ErrorCode.INVALID_FORMAT, 'method not allowed');
  const body = await readBody(request);
  if (!body) return problem(400, ErrorCode.INVALID_FORMAT, 'body must be a JSON object');
  const t = targets(body);
  if (typeof t === 'string') return problem(400, ErrorCode.INVALID_FORMAT, t);

  if (url.pathname === '/admin/unban') {
    await Promise.all([
      ...t.keys.map((k) => keyStub(k).unban()),
      ...t.ips.map((ip) => ipStub(ip).unban()),
    ]);
    return Response.json({ ok: true });
  }
  if (url.pathname !== '/admin/ban') return problem(404, ErrorCode.INVALID_FORMAT, 'not found');
  const reason = body.reason;
  if (
    typeof reason !== 'string' ||
    reason.length === 0 ||
    utf8Length(reason) > MAX_REASON_BYTES ||
    /\p{Cc}/u.test(reason)
  ) {
    return problem(
      400,
      ErrorCode.INVALID_FORMAT,
      `reason must be 1–${MAX_REASON_BYTES} bytes of text`,
    );
  }
  const duration = body.duration_seconds;
  if (
    duration !== undefined &&
    (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0)
  ) {
    return problem(400, ErrorCode.INVALID_FORMAT, 'duration_seconds must be a positive integer');
  }
  const until = typeof duration === 'number' ? Date.now() + duration * 1000 : null;
  let kicked = 0;
  for (const k of t.keys) kicked += await keyStub(k).ban(reason, until);
  for (const ip of t.ips) {
    const keys = await ipStub(ip).ban(reason, until);
    for (const k of keys) kicked += await keyStub(k).kickIp(ip, reason);
  }
  return Response.json({ ok: true, kicked });
}
