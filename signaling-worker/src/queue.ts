// Offline queue of one recipient, kept in its Key object's storage (docs/signaling.md §Queue).
// Bounded in count, bytes and age. Overflow policy: REFUSE the new signal (the sender gets error
// 1004 with retry_after = seconds until the oldest entry expires) rather than dropping old ones,
// so a sender always learns when its signal was not stored, and queued offers are never silently
// displaced by later traffic. Entries are deleted on delivery or expiry; nothing else is kept.

export interface QueuedSignal {
  from: string;
  payload: string;
  queued_at: number;
  expires_at: number;
}

interface IndexItem {
  seq: number;
  size: number;
  expires_at: number;
}

interface QueueIndex {
  next: number;
  items: IndexItem[];
}

export interface QueueLimits {
  maxSignals: number;
  maxBytes: number;
  ttlMs: number;
}

/** What routing a signal to a recipient's Key object came to. */
export type DeliverResult =
  | { status: 'delivered' }
  | { status: 'queued'; expires_at: number }
  | { status: 'refused'; retry_after: number; reason: string };

export type PushResult =
  | { ok: true; expires_at: number }
  | { ok: false; retry_after: number; reason: string };

const INDEX_KEY = 'qidx';
const entryKey = (seq: number): string => `q:${seq.toString().padStart(12, '0')}`;

/** Bytes an entry counts against the bound: payload and sender key as sent on the wire. */
export function entrySize(from: string, payload: string): number {
  return from.length + payload.length;
}

export class SignalQueue {
  private index: QueueIndex | undefined;

  constructor(private readonly storage: DurableObjectStorage) {}

  private async load(): Promise<QueueIndex> {
    if (!this.index) {
      this.index = (await this.storage.get<QueueIndex>(INDEX_KEY)) ?? { next: 0, items: [] };
    }
    return this.index;
  }

  private save(idx: QueueIndex): void {
    if (idx.items.length === 0) void this.storage.delete(INDEX_KEY);
    else void this.storage.put(INDEX_KEY, idx);
  }

  /** Deletes expired entries; returns the next expiry time, if any entry remains. */
  async prune(now: number): Promise<number | undefined> {
    const idx = await this.load();
    const expired = idx.items.filter((i) => i.expires_at <= now);
    if (expired.length > 0) {
      idx.items = idx.items.filter((i) => i.expires_at > now);
      void this.storage.delete(expired.map((i) => entryKey(i.seq)));
      this.save(idx);
    }
    return idx.items[0]?.expires_at;
  }

  async push(from: string, payload: string, limits: QueueLimits, now: number): Promise<PushResult> {
    await this.prune(now);
    const idx = await this.load();
    const size = entrySize(from, payload);
    const bytes = idx.items.reduce((n, i) => n + i.size, 0);
    if (idx.items.length >= limits.maxSignals || bytes + size > limits.maxBytes) {
      const oldest = idx.items[0];
      const wait = oldest ? oldest.expires_at - now : limits.ttlMs;
      return {
        ok: false,
        retry_after: Math.max(1, Math.ceil(wait / 1000)),
        reason: 'recipient queue full',
      };
    }
    const seq = idx.next;
    const entry: QueuedSignal = { from, payload, queued_at: now, expires_at: now + limits.ttlMs };
    idx.next = seq + 1;
    idx.items.push({ seq, size, expires_at: entry.expires_at });
    // No await between the two puts: the runtime commits them as one atomic write.
    void this.storage.put(entryKey(seq), entry);
    this.save(idx);
    return { ok: true, expires_at: entry.expires_at };
  }

  /** Unexpired entries in arrival order; all entries are deleted (delivered exactly once). */
  async drain(now: number): Promise<QueuedSignal[]> {
    const idx = await this.load();
    if (idx.items.length === 0) return [];
    const keys = idx.items.map((i) => entryKey(i.seq));
    const found = await this.storage.get<QueuedSignal>(keys);
    const out: QueuedSignal[] = [];
    for (const k of keys) {
      const e = found.get(k);
      if (e && e.expires_at > now) out.push(e);
    }
    void this.storage.delete(keys);
    idx.items = [];
    this.save(idx);
    return out;
  }

  async size(): Promise<number> {
    return (await this.load()).items.length;
  }
}
