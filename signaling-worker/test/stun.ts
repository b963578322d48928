// Minimal TURN Allocate client over UDP (RFC 8656 §7.1, long-term credentials of RFC 8489 §9.2),
// enough to prove that credentials minted by the Worker open a relay on a real coturn.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

const MAGIC = 0x2112a442;
const ALLOCATE = 0x0003;
export const ALLOCATE_SUCCESS = 0x0103;
export const ALLOCATE_ERROR = 0x0113;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
} as const;

export interface StunResponse {
  type: number;
  error?: number;
  realm?: string;
  nonce?: string;
  relayed?: { address: string; port: number };
}

function attr(type: number, value: Buffer): Buffer {
  const pad = (4 - (value.length % 4)) % 4;
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc(pad)]);
}

function header(type: number, bodyLength: number, tid: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(bodyLength, 2);
  h.writeUInt32BE(MAGIC, 4);
  tid.copy(h, 8);
  return h;
}

export interface Credentials {
  username: string;
  password: string;
  realm: string;
  nonce: string;
}

/** An Allocate request (UDP relay), signed with MESSAGE-INTEGRITY when credentials are given. */
export function allocateRequest(creds?: Credentials): Buffer {
  const tid = randomBytes(12);
  const transport = Buffer.from([17, 0, 0, 0]); // UDP
  const attrs = [attr(ATTR.REQUESTED_TRANSPORT, transport)];
  if (!creds) {
    const body = Buffer.concat(attrs);
    return Buffer.concat([header(ALLOCATE, body.length, tid), body]);
  }
  attrs.push(attr(ATTR.USERNAME, Buffer.from(creds.username)));
  attrs.push(attr(ATTR.REALM, Buffer.from(creds.realm)));
  attrs.push(attr(ATTR.NONCE, Buffer.from(creds.nonce)));
  const body = Buffer.concat(attrs);
  // RFC 8489 §14.5: the HMAC covers the message with its length already counting the
  // MESSAGE-INTEGRITY attribute (4 + 20 bytes); key = MD5(username ":" realm ":" password).
  const head = header(ALLOCATE, body.length + 24, tid);
  const key = createHash('md5')
    .update(`${creds.username}:${creds.realm}:${creds.password}`)
    .digest();
  const mac = createHmac('sha1', key)
    .update(Buffer.concat([head, body]))
    .digest();
  return Buffer.concat([head, body, attr(ATTR.MESSAGE_INTEGRITY, mac)]);
}

export function parseResponse(msg: Buffer): StunResponse {
  const out: StunResponse = { type: msg.readUInt16BE(0) };
  const length = msg.readUInt16BE(2);
  let off = 20;
  while (off + 4 <= 20 + length && off + 4 <= msg.length) {
    const t = msg.readUInt16BE(off);
    const len = msg.readUInt16BE(off + 2);
    const v = msg.subarray(off + 4, off + 4 + len);
    if (t === ATTR.ERROR_CODE) out.error = (v[2] ?? 0) * 100 + (v[3] ?? 0);
    else if (t === ATTR.REALM) out.realm = v.toString();
    else if (t === ATTR.NONCE) out.nonce = v.toString();
    else if (t === ATTR.XOR_RELAYED_ADDRESS && v[1] === 0x01) {
      const port = v.readUInt16BE(2) ^ (MAGIC >>> 16);
      const addr = v.readUInt32BE(4) ^ MAGIC;
      const address = [24, 16, 8, 0].map((s) => (addr >>> s) & 0xff).join('.');
      out.relayed = { address, port };
    }
    off += 4 + len + ((4 - (len % 4)) % 4);
  }
  return out;
}

/** One UDP socket (one 5-tuple, as TURN allocations are keyed by it) for a request sequence. */
class StunSocket {
  private readonly sock = createSocket('udp4');
  private readonly inbox: Buffer[] = [];
  private waiter: ((m: Buffer) => void) | undefined;

  constructor(private readonly port: number) {
    this.sock.on('message', (m) => {
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w(m);
      else this.inbox.push(m);
    });
  }

  request(req: Buffer, ms = 1000): Promise<StunResponse> {
    return new Promise((resolve, reject) => {
      const queued = this.inbox.shift();
      if (queued) {
        resolve(parseResponse(queued));
        return;
      }
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error('no STUN response'));
      }, ms);
      this.waiter = (m) => {
        clearTimeout(timer);
        resolve(parseResponse(m));
      };
      this.sock.send(req, this.port, '127.0.0.1');
    });
  }

  close(): void {
    this.sock.close();
  }
}

/** Bounded wait until the server answers an unauthenticated Allocate (it has started). */
export async function waitForTurn(port: number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const s = new StunSocket(port);
    try {
      await s.request(allocateRequest(), 200);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    } finally {
      s.close();
    }
  }
}

/** The full long-term-credential dance: 401 with REALM/NONCE, then the signed Allocate. */
export async function allocate(
  port: number,
  username: string,
  password: string,
): Promise<StunResponse> {
  const s = new StunSocket(port);
  try {
    const first = await s.request(allocateRequest());
    if (first.type !== ALLOCATE_ERROR || first.error !== 401 || !first.realm || !first.nonce) {
      throw new Error(`unexpected first response ${JSON.stringify(first)}`);
    }
    const creds = { username, password, realm: first.realm, nonce: first.nonce };
    return await s.request(allocateRequest(creds));
  } finally {
    s.close();
  }
}
