// Peerline's side of `npm run bench:transfer`, in the page: the app's own stack — simple-peer
// behind src/peer/rtc.ts, a Noise session, the file-transfer engine — between two pages, with
// one of two storages: 'memory' costs nothing (the source generates its bytes, the sink drops
// them; the engine still hashes), so the figure is the protocol's; 'opfs' is the app's own
// (src/app/files/storage.ts: OPFS through its worker, records in IndexedDB), so the figure is
// what a user gets. Chat latency is measured on the same session while the file flows.

import { createStorage } from '../src/app/files/storage.ts';
import { fromHex, toHex } from '../src/crypto/bytes.ts';
import { generateIdentity, type Identity } from '../src/crypto/identity.ts';
import { createSha256Stream } from '../src/crypto/sha256-stream.ts';
import { createFileTransfers, DEFAULT_CHUNK_SIZE, newTransferId } from '../src/peer/files/index.ts';
import type {
  FileMeta,
  FileSink,
  FileSource,
  FileTransfers,
  TransferRecord,
  TransferStorage,
} from '../src/peer/files/types.ts';
import { createRtcLink, type RtcLink, type RtcSignal } from '../src/peer/rtc.ts';
import { createSession, type PeerSession } from '../src/peer/session.ts';

const PATTERN_SIZE = 1024 * 1024;
const pattern = new Uint8Array(PATTERN_SIZE);
// getRandomValues fills at most 64 KiB per call.
for (let o = 0; o < PATTERN_SIZE; o += 65_536)
  crypto.getRandomValues(pattern.subarray(o, o + 65_536));

/** Byte `o` of every generated file is pattern[o mod 1 MiB]. */
function generated(offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const at = (offset + done) % PATTERN_SIZE;
    const n = Math.min(length - done, PATTERN_SIZE - at);
    out.set(pattern.subarray(at, at + n), done);
    done += n;
  }
  return out;
}

async function digestOfGenerated(size: number): Promise<string> {
  const h = await createSha256Stream();
  for (let o = 0; o < size; o += PATTERN_SIZE)
    h.update(pattern.subarray(0, Math.min(PATTERN_SIZE, size - o)));
  return toHex(h.digest());
}

class BenchStorage implements TransferStorage {
  readonly sizes = new Map<string, number>();
  async save(_record: TransferRecord): Promise<void> {}
  async openSource(id: string): Promise<FileSource> {
    const size = this.sizes.get(id) ?? 0;
    return {
      size,
      read: async (offset, length) => generated(offset, Math.min(length, size - offset)),
    };
  }
  async openSink(): Promise<FileSink> {
    return {
      write: async () => undefined,
      flush: async () => undefined,
      truncate: async () => undefined,
      close: async () => undefined,
    };
  }
  async available(): Promise<number | undefined> {
    return undefined;
  }
  async discard(): Promise<void> {}
}

export type StorageMode = 'memory' | 'opfs';

interface Live {
  identity: Identity;
  link: RtcLink | undefined;
  session: PeerSession | undefined;
  transfers: FileTransfers | undefined;
  storage: TransferStorage;
  memory: BenchStorage;
  signals: RtcSignal[];
  latencies: number[];
}

const live: Live = {
  identity: generateIdentity(),
  link: undefined,
  session: undefined,
  transfers: undefined,
  storage: new BenchStorage(),
  memory: new BenchStorage(),
  signals: [],
  latencies: [],
};

export function plPublicKey(): string {
  return toHex(live.identity.edPublicKey);
}

/** Starts this side's link and session; signals accumulate for plTakeSignals(). */
export async function plStart(
  initiator: boolean,
  peerKey: string,
  mode: StorageMode,
): Promise<void> {
  plClose();
  live.storage = mode === 'memory' ? live.memory : createStorage();
  const expectedPeer = fromHex(peerKey);
  if (!expectedPeer) throw new Error('peer key is not hex');
  const link = await createRtcLink({ initiator, iceServers: [], iceTransportPolicy: 'all' });
  live.link = link;
  live.signals = [];
  link.onSignal((s) => live.signals.push(s));
  const session = createSession({
    duplex: link,
    role: initiator ? 'initiator' : 'responder',
    identity: live.identity,
    expectedPeer,
  });
  live.session = session;
  session.start();
  live.transfers = createFileTransfers({ contact: peerKey, storage: live.storage });
  live.transfers.attach(session);
  live.latencies = [];
  session.on('message', (m) => {
    if (m.type !== 'text') return;
    const sentAt = Number(m.payload.text);
    if (Number.isFinite(sentAt))
      live.latencies.push(performance.timeOrigin + performance.now() - sentAt);
  });
}

export function plTakeSignals(): RtcSignal[] {
  return live.signals.splice(0);
}

export function plGiveSignals(signals: RtcSignal[]): void {
  for (const s of signals) live.link?.signal(s);
}

export function plConnected(): boolean {
  return live.session?.state.name === 'connected';
}

let incoming: Promise<number> | undefined;

/** Receiver: accept the next offer, resolve with the time its last byte was verified. */
export function plArmReceive(): void {
  const transfers = live.transfers;
  if (!transfers) throw new Error('not started');
  incoming = new Promise((resolve, reject) => {
    const off = transfers.on('update', (r) => {
      if (r.direction !== 'receive') return;
      if (r.status.kind === 'offered') void transfers.accept(r.meta.id);
      else if (r.status.kind === 'complete') {
        off();
        resolve(performance.timeOrigin + performance.now());
      } else if (r.status.kind === 'failed' || r.status.kind === 'cancelled') {
        off();
        reject(new Error(`transfer ${r.status.kind}`));
      }
    });
  });
}

export function plReceived(): Promise<number> {
  if (!incoming) throw new Error('not armed');
  return incoming;
}

/** Sender: offer a generated file of `size` bytes; resolves with the time of the offer. */
let prepared: FileMeta | undefined;

/** Sender: makes a generated file of `size` bytes ready to offer (in OPFS for the app storage). */
export async function plPrepare(size: number): Promise<void> {
  const meta: FileMeta = {
    id: newTransferId(),
    name: 'bench.bin',
    size,
    mime: 'application/octet-stream',
    sha256: await digestOfGenerated(size),
    chunkSize: DEFAULT_CHUNK_SIZE,
  };
  live.memory.sizes.set(meta.id, size);
  if (live.storage !== live.memory) {
    // The app's sender has the file in OPFS before it offers (it copies while hashing).
    const sink = await live.storage.openSink(meta.id);
    for (let o = 0; o < size; o += 4 * PATTERN_SIZE) {
      await sink.write(o, generated(o, Math.min(4 * PATTERN_SIZE, size - o)));
      // Writes are pipelined: settle them now and then, or the whole file sits in the queue.
      if (o % (64 * PATTERN_SIZE) === 0) await sink.flush();
    }
    await sink.flush();
    await sink.close();
  }
  prepared = meta;
}

/** Sender: offers the prepared file; resolves with the time of the offer. */
export async function plSend(chatEveryMs: number): Promise<{ start: number }> {
  const transfers = live.transfers;
  const session = live.session;
  const meta = prepared;
  if (!transfers || !session || !meta) throw new Error('not started or nothing prepared');
  prepared = undefined;
  const start = performance.timeOrigin + performance.now();
  await transfers.offer(meta);
  if (chatEveryMs > 0) {
    const timer = setInterval(() => {
      if (session.state.name !== 'connected') return;
      session
        .send({
          type: 'text',
          payload: { text: String(performance.timeOrigin + performance.now()) },
        })
        .catch(() => undefined);
    }, chatEveryMs);
    const done = transfers.on('update', (r) => {
      if (r.meta.id === meta.id && r.status.kind === 'complete') {
        clearInterval(timer);
        done();
      }
    });
  }
  return { start };
}

export function plLatencies(): number[] {
  return live.latencies.splice(0);
}

/** Deletes the stored files of finished runs (OPFS mode fills the disk otherwise). */
export async function plDiscard(): Promise<void> {
  const transfers = live.transfers;
  if (!transfers) return;
  for (const r of transfers.records()) await live.storage.discard(r.meta.id);
}

export function plClose(): void {
  live.session?.close().catch(() => undefined);
  live.link?.close();
  live.session = undefined;
  live.link = undefined;
  live.transfers = undefined;
}

let sessionArrival: Promise<number> | undefined;

/** Receiver of the 'session' mode: counts BINARY bytes, no engine, no hashing, no storage. */
export function plSessionArm(total: number): void {
  const session = live.session;
  if (!session) throw new Error('not started');
  sessionArrival = new Promise((resolve) => {
    let got = 0;
    const off = session.on('binary', (c) => {
      got += c.data.length;
      if (got >= total) {
        off();
        resolve(performance.timeOrigin + performance.now());
      }
    });
  });
}

export function plSessionReceived(): Promise<number> {
  if (!sessionArrival) throw new Error('not armed');
  return sessionArrival;
}

/**
 * Sender of the 'session' mode: BINARY frames straight through the session with the engine's
 * flow control (≤ 1 MiB buffered, ≤ 2 sends queued): what the transfer costs without the engine.
 */
export async function plSessionSend(total: number): Promise<number> {
  const session = live.session;
  if (!session) throw new Error('not started');
  const sid = new Uint8Array(16);
  const start = performance.timeOrigin + performance.now();
  const queued: Promise<void>[] = [];
  for (let sent = 0, i = 0; sent < total; i++) {
    if (queued.length >= 2) await queued.shift();
    if (session.bufferedAmount > 1024 * 1024) await session.whenBufferedBelow(256 * 1024);
    const n = Math.min(DEFAULT_CHUNK_SIZE, total - sent);
    queued.push(session.sendBinary(sid, i, generated(sent, n)));
    sent += n;
  }
  await Promise.all(queued);
  return start;
}
