// Peerline signaling Worker: HTTP entry. Routes WebSocket upgrades to the Key object of the
// requested public key after the Origin, IP-ban and per-IP limits have passed
// (docs/signaling.md). Logs nothing about who talks to whom.
import { ErrorCode } from '../../src/crypto/errors.ts';
import { CloseCode } from '../../src/signaling/protocol.ts';
import { handleAdmin } from './admin.ts';
import { type Env, list } from './config.ts';
import { originAllowed } from './origin.ts';
import { closeSocket, sendMessage } from './sockets.ts';

export { IpLimiter } from './ip-limiter.ts';
export { KeyObject } from './key-object.ts';

const CONNECT = /^\/connect\/([0-9a-f]{64})$/;

function problem(status: number, code: number, message: string): Response {
  return Response.json({ code, message }, { status });
}

/** A socket that is opened only to say why it is refused: browsers cannot read a 403's body. */
function refuseWithReason(code: number, reason: string): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  sendMessage(server, {
    type: 'error',
    code: ErrorCode.PERMISSION_DENIED,
    message: reason,
    close: code,
  });
  closeSocket(server, code, reason);
  return new Response(null, { status: 101, webSocket: client });
}

async function connect(request: Request, env: Env, key: string): Promise<Response> {
  if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
    return problem(426, ErrorCode.INVALID_FORMAT, 'expected a WebSocket upgrade');
  }
  if (!originAllowed(request.headers.get('Origin'), list(env.ALLOWED_ORIGINS))) {
    return problem(403, ErrorCode.PERMISSION_DENIED, 'origin not allowed');
  }
  // Set by Cloudflare's edge (a client-sent value is overwritten). Under `wrangler dev` a client
  // may set it itself, which the tests use to act as several IPs.
  const ip = request.headers.get('CF-Connecting-IP') ?? 'unknown';
  const limiter = env.IPS.get(env.IPS.idFromName(ip));
  const acq = await limiter.acquire(key);
  if (!acq.ok) {
    if (acq.kind === 'banned') return refuseWithReason(CloseCode.BANNED, `banned: ${acq.reason}`);
    return Response.json(
      { code: ErrorCode.RATE_LIMITED, message: acq.reason, retry_after: acq.retry_after },
      { status: 429, headers: { 'Retry-After': String(acq.retry_after) } },
    );
  }
  const headers = new Headers(request.headers);
  headers.set('X-Peerline-Key', key);
  headers.set('X-Peerline-IP', ip);
  try {
    return await env.KEYS.get(env.KEYS.idFromName(key)).fetch(
      new Request(request.url, { headers }),
    );
  } catch {
    await limiter.release(key);
    return problem(503, ErrorCode.SERVER_UNAVAILABLE, 'key object unavailable');
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/health') {
      return Response.json({
        ok: true,
        service: 'peerline-signaling',
        protocol: 1,
        time: Date.now(),
      });
    }
    const m = CONNECT.exec(url.pathname);
    if (m?.[1]) return connect(request, env, m[1]);
    if (url.pathname.startsWith('/admin/')) return handleAdmin(request, env, url);
    return problem(404, ErrorCode.INVALID_FORMAT, 'not found');
  },
} satisfies ExportedHandler<Env>;
