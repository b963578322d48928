// The driver of the engine's property tests: two contacts (sender bob, receiver alice) whose
// engines live across lost links and page reloads (FaultyStorage crashes), over real sessions
// on one fake clock; every error and every broken invariant of every engine is kept.

import { toHex } from '../../crypto/bytes.ts';
import { createFakeClock, type FakeClock } from '../clock.ts';
import type { DuplexPairOptions } from '../duplex.ts';
import { disconnected } from '../test-support.ts';
import { chunkRange } from './constants.ts';
import { type FaultSide, FaultyStorage, faultSide } from './test-faults.ts';
import { drive, type Link, link, offerFile, recordWhere, viewOf } from './test-support.ts';
import type { FileMeta, TransferLimits, TransferRecord } from './types.ts';

/** Every write the receiver made to `id` was exactly one chunk of `meta`, at its offset. */
export function writesAreChunks(
  storage: FaultyStorage,
  meta: Pick<FileMeta, 'size' | 'chunkSize'>,
  id: string,
): string[] {
  const bad: string[] = [];
  for (const [offset, length] of storage.writeLog.get(id) ?? []) {
    const i = offset / meta.chunkSize;
    if (!Number.isInteger(i) || chunkRange(meta, i).length !== length || length === 0) {
      bad.push(`write of ${length} at ${offset}`);
    }
  }
  return bad;
}

/** A stalled transfer fails the run after this much fake time instead of hanging. */
const STALL_MS = 60_000;

export type Who = 'sender' | 'receiver';

export interface Setup {
  readonly size: number;
  readonly chunk: number;
  readonly limits: TransferLimits;
  readonly duplex: DuplexPairOptions;
}

/** Two contacts whose engines survive links and reloads; every error of every engine is kept. */
export class World {
  readonly storage = { sender: new FaultyStorage(), receiver: new FaultyStorage() };
  readonly side: Record<Who, FaultSide>;
  readonly errors: { who: Who; code: number }[] = [];
  /** Records that broke an invariant: verified beyond n, or (without retries) going back. */
  readonly broken: string[] = [];
  private readonly highest = new Map<string, number>();
  /** Per stream, the last chunk index the sender's engine handed to its session. */
  readonly lastSent = new Map<string, number>();
  link: Link | undefined;

  constructor(
    readonly clock: FakeClock,
    readonly setup: Setup,
    private readonly ids: { a: Link['idA']; b: Link['idB'] },
    first: Link,
  ) {
    this.side = { sender: this.engine('sender'), receiver: this.engine('receiver') };
    this.link = first;
    this.attach(first);
  }

  engine(w: Who): FaultSide {
    const s = faultSide(
      w === 'sender' ? 'bob' : 'alice',
      this.storage[w],
      this.clock,
      this.setup.limits,
    );
    s.engine.on('error', (e) => this.errors.push({ who: w, code: e.error.code }));
    s.engine.on('update', (r) => {
      const key = `${w}:${r.meta.id}`;
      const before = this.highest.get(key) ?? 0;
      if (r.verified > Math.ceil(r.meta.size / r.meta.chunkSize) || r.verified < before) {
        this.broken.push(`${key} verified ${before} → ${r.verified}`);
      }
      this.highest.set(key, Math.max(before, r.verified));
    });
    return s;
  }

  attach(l: Link): void {
    this.side.sender.engine.attach(
      viewOf(l.a, {
        sendBinary: (sid, index, data) => {
          this.lastSent.set(toHex(sid), index);
          return l.a.sendBinary(sid, index, data);
        },
      }),
    );
    this.side.receiver.engine.attach(l.b);
  }

  async down(): Promise<void> {
    const l = this.link;
    if (l === undefined) return;
    this.link = undefined;
    l.fail();
    await drive(this.clock, Promise.all([disconnected(l.a), disconnected(l.b)]));
  }

  async up(): Promise<Link> {
    if (this.link !== undefined) return this.link;
    const l = await link(this.clock, this.setup.duplex, this.ids);
    this.link = l;
    this.attach(l);
    return l;
  }

  /** The page dies at once: no checkpoint, no save, unflushed writes lost; then it loads again. */
  async reload(w: Who | 'both'): Promise<void> {
    const list: Who[] = w === 'both' ? ['sender', 'receiver'] : [w];
    for (const x of list) this.storage[x].crash();
    await this.down();
    for (const x of list) this.side[x] = this.engine(x);
  }

  record(w: Who, id: string): TransferRecord | undefined {
    return this.side[w].engine.records().find((r) => r.meta.id === id);
  }

  /** Pauses, or resumes what this side paused; refused (not running) is fine. */
  async togglePause(w: Who, id: string): Promise<void> {
    const e = this.side[w].engine;
    const job = this.record(w, id)?.paused.local ? e.resume(id) : e.pause(id);
    await drive(
      this.clock,
      job.catch(() => undefined),
    );
  }
}

export async function world(setup: Setup): Promise<World> {
  const clock = createFakeClock();
  const first = await link(clock, setup.duplex);
  return new World(clock, setup, { a: first.idA, b: first.idB }, first);
}

/** Offers `bytes` from sender to receiver and accepts it. */
export async function offerAccepted(w: World, bytes: Uint8Array, accept = true): Promise<string> {
  const { sender, receiver } = w.side;
  const put = (i: string, d: Uint8Array) => w.storage.sender.put(i, d);
  const opts = { accept };
  return (await offerFile(w.clock, sender.engine, receiver.engine, put, bytes, w.setup.chunk, opts))
    .id;
}

export const isDone = (r: TransferRecord) =>
  r.status.kind === 'complete' || r.status.kind === 'failed';

export async function until(w: World, who: Who, id: string, pred: (r: TransferRecord) => boolean) {
  return drive(w.clock, recordWhere(w.side[who].engine, id, pred), STALL_MS);
}
