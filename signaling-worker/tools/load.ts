// Load generator for bench/signaling.ts: N raw protocol clients in pairs doing an
// offer → answer + candidates → candidates exchange, against either the Peerline Worker or a
// PeerJS server, with per-signal delivery latency. Loopback only; every wait is bounded.
import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import WebSocket from 'ws';
import { registerSignedBytes } from '../../src/signaling/protocol.ts';

export type Kind = 'OFFER' | 'ANSWER' | 'CANDIDATE';

export interface Peer {
  id: string;
  send(to: string, kind: Kind, payload: string): void;
  close(): void;
}

export type OnSignal = (to: string, from: string, kind: Kind, payload: string) => void;

export interface Driver {
  name: string;
  /** Connects and registers one client; resolves when it may send. */
  connect(index: number, onSignal: OnSignal): Promise<Peer>;
}

const ORIGIN = 'http://127.0.0.1:5173';

function opened(ws: WebSocket, ms: number): Promise<void> {
  // A late error (after open or after a refusal) must not crash the run.
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('connect timeout')), ms);
    ws.once('open', () => {
      clearTimeout(t);
      resolve();
    });
    ws.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

/** Peerline Worker: signed-challenge registration, `signal` frames (kind rides in the payload). */
export function workerDriver(baseUrl: string, clientsPerIp = 1): Driver {
  return {
    name: 'peerline-worker',
    async connect(index, onSignal) {
      const { secretKey, publicKey } = ed25519.keygen();
      const id = bytesToHex(publicKey);
      // A fake client IP (a header only) per `clientsPerIp` clients; 1 = N distinct browsers.
      // The per-IP limits stay at their production values (≤ 30 new connections per burst).
      const n = Math.floor(index / clientsPerIp);
      const ip = `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/connect/${id}`, {
        origin: ORIGIN,
        headers: { 'CF-Connecting-IP': ip },
      });
      const ready = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('registration timeout')), 30_000);
        ws.on('message', (data) => {
          const m = JSON.parse(data.toString()) as Record<string, string>;
          if (m.type === 'signal' && m.from && m.payload) {
            const kind =
              m.payload.slice(0, 1) === 'O'
                ? 'OFFER'
                : m.payload[0] === 'A'
                  ? 'ANSWER'
                  : 'CANDIDATE';
            onSignal(id, m.from, kind, m.payload);
          } else if (m.type === 'challenge' && m.challenge) {
            const timestamp = Date.now();
            const msg = registerSignedBytes(m.challenge, ORIGIN, timestamp, id);
            if (!msg) return reject(new Error('bad challenge'));
            const signature = bytesToHex(ed25519.sign(msg, secretKey));
            ws.send(JSON.stringify({ type: 'register', key: id, timestamp, signature }));
          } else if (m.type === 'register_ok') {
            clearTimeout(t);
            resolve();
          } else if (m.type === 'register_failed' || m.type === 'error') {
            reject(new Error(`worker refused: ${JSON.stringify(m)}`));
          }
        });
      });
      await opened(ws, 30_000);
      await ready;
      return {
        id,
        send: (to, _kind, payload) => ws.send(JSON.stringify({ type: 'signal', to, payload })),
        close: () => ws.close(1000),
      };
    },
  };
}

/** PeerJS server protocol (npm `peer` 1.x): OPEN on connect; OFFER/ANSWER/CANDIDATE relayed. */
export function peerjsDriver(baseUrl: string): Driver {
  return {
    name: 'peerjs-server',
    async connect(_index, onSignal) {
      const id = randomBytes(32).toString('hex');
      const token = randomBytes(8).toString('hex');
      const ws = new WebSocket(
        `${baseUrl.replace('http', 'ws')}/peerjs?key=peerjs&id=${id}&token=${token}`,
      );
      const ready = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('OPEN timeout')), 30_000);
        ws.on('message', (data) => {
          const m = JSON.parse(data.toString()) as {
            type: string;
            src?: string;
            payload?: { s?: string };
          };
          if (m.type === 'OPEN') {
            clearTimeout(t);
            resolve();
          } else if (
            m.src &&
            m.payload?.s &&
            (m.type === 'OFFER' || m.type === 'ANSWER' || m.type === 'CANDIDATE')
          ) {
            onSignal(id, m.src, m.type, m.payload.s);
          }
        });
      });
      await opened(ws, 30_000);
      await ready;
      return {
        id,
        send: (to, kind, payload) =>
          ws.send(JSON.stringify({ type: kind, dst: to, payload: { s: payload } })),
        close: () => ws.close(1000),
      };
    },
  };
}

export interface RunResult {
  clients: number;
  registerMs: { total: number; p50: number; p99: number };
  signals: number;
  delivered: number;
  exchangeMs: number;
  signalsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/** Random base64 with a kind prefix letter; sizes match sealed SDP and candidates. */
function payload(kind: Kind, bytes: number): string {
  return kind[0] + randomBytes(bytes).toString('base64').slice(1);
}

export interface ExchangeOptions {
  clients: number;
  candidates: number;
  rounds: number;
  /** Sealed sizes: an SDP offer/answer ≈ 1.2 KB plaintext, a candidate ≈ 120 B (+137 B seal). */
  sdpBytes?: number;
  candidateBytes?: number;
  connectConcurrency?: number;
  timeoutMs: number;
}

export async function runExchange(
  driver: Driver,
  o: ExchangeOptions,
): Promise<{ result: RunResult; peers: Peer[] }> {
  const sdp = o.sdpBytes ?? 1340;
  const cand = o.candidateBytes ?? 260;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  let lastAt = 0;
  let onAllDelivered: () => void = () => undefined;
  let expected = Number.POSITIVE_INFINITY;
  const peers: Peer[] = [];
  const byId = new Map<string, Peer>();
  const send = (from: Peer, to: string, kind: Kind, bytes: number) => {
    const p = payload(kind, bytes);
    sentAt.set(p, performance.now());
    from.send(to, kind, p);
  };
  const onSignal: OnSignal = (to, from, kind, p) => {
    const now = performance.now();
    const t0 = sentAt.get(p);
    if (t0 !== undefined) {
      latencies.push(now - t0);
      sentAt.delete(p);
    }
    delivered++;
    lastAt = now;
    const me = byId.get(to);
    if (me && kind === 'OFFER') {
      send(me, from, 'ANSWER', sdp);
      for (let c = 0; c < o.candidates; c++) send(me, from, 'CANDIDATE', cand);
    } else if (me && kind === 'ANSWER') {
      for (let c = 0; c < o.candidates; c++) send(me, from, 'CANDIDATE', cand);
    }
    if (delivered >= expected) onAllDelivered();
  };
  const regTimes: number[] = [];
  const regStart = performance.now();
  const conc = o.connectConcurrency ?? 50;
  for (let i = 0; i < o.clients; i += conc) {
    const wave = await Promise.all(
      Array.from({ length: Math.min(conc, o.clients - i) }, async (_, j) => {
        const t0 = performance.now();
        const p = await driver.connect(i + j, onSignal);
        regTimes.push(performance.now() - t0);
        return p;
      }),
    );
    for (const p of wave) {
      peers.push(p);
      byId.set(p.id, p);
    }
  }
  const regTotal = performance.now() - regStart;
  const pairs = Math.floor(peers.length / 2);
  expected = pairs * (2 + 2 * o.candidates) * o.rounds;
  const done = new Promise<void>((resolve) => {
    onAllDelivered = resolve;
  });
  const start = performance.now();
  for (let r = 0; r < o.rounds; r++) {
    for (let i = 0; i < pairs; i++) {
      const a = peers[2 * i];
      const b = peers[2 * i + 1];
      if (a && b) send(a, b.id, 'OFFER', sdp);
    }
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, o.timeoutMs)))]);
  clearTimeout(timer);
  const sortedReg = [...regTimes].sort((a, b) => a - b);
  const sortedLat = [...latencies].sort((a, b) => a - b);
  const exchangeMs = (lastAt || performance.now()) - start;
  return {
    peers,
    result: {
      clients: peers.length,
      registerMs: {
        total: regTotal,
        p50: percentile(sortedReg, 50),
        p99: percentile(sortedReg, 99),
      },
      signals: expected,
      delivered,
      exchangeMs,
      signalsPerSecond: delivered / (exchangeMs / 1000),
      latencyMs: {
        p50: percentile(sortedLat, 50),
        p99: percentile(sortedLat, 99),
        max: sortedLat.at(-1) ?? Number.NaN,
      },
    },
  };
}
