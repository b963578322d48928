// Signals from this key to other keys, batched per recipient. Each Durable Object RPC is a full
// event on both objects (the call, and its result back here), which costs far more than the
// signal itself, and clients send in bursts (an answer and its candidates). So the first signal
// to a recipient waits for the frames already received to be handled (one timer turn), and one
// RPC carries them all; signals arriving while it is in flight form the next batch. Batches to
// one recipient go one after another, so it receives one sender's signals in sending order
// (PROTOCOL.md §11.2.2); different recipients are independent.
import type { DeliverResult } from './queue.ts';

/** The Key object's RPC surface the outbox needs. */
export interface Recipient {
  deliver(from: string, payloads: string[]): Promise<DeliverResult[]>;
}

interface Waiting {
  payload: string;
  done: (r: DeliverResult) => void;
  fail: (e: unknown) => void;
}

/** Signals per RPC at most (each ≤ 16 KiB), so one batch stays a small message. */
export const MAX_BATCH = 64;
/** Recipient stubs kept for reuse: a client signals a handful of peers. */
const MAX_STUBS = 64;

export class Outbox {
  /** Per recipient with a batch scheduled or in flight: the signals waiting for the next one. */
  private readonly lines = new Map<string, Waiting[]>();
  private readonly stubs = new Map<string, Recipient>();

  constructor(
    private readonly from: string,
    private readonly resolve: (to: string) => Recipient,
  ) {}

  send(to: string, payload: string): Promise<DeliverResult> {
    return new Promise<DeliverResult>((done, fail) => {
      const line = this.lines.get(to);
      if (line) {
        line.push({ payload, done, fail });
        return;
      }
      const fresh: Waiting[] = [{ payload, done, fail }];
      this.lines.set(to, fresh);
      // A zero timer fires after the events already queued, i.e. after the rest of the burst.
      setTimeout(() => void this.run(to, fresh.splice(0, MAX_BATCH)), 0);
    });
  }

  private stub(to: string): Recipient {
    let s = this.stubs.get(to);
    if (!s) {
      s = this.resolve(to);
      if (this.stubs.size >= MAX_STUBS) {
        const oldest = this.stubs.keys().next();
        if (!oldest.done) this.stubs.delete(oldest.value);
      }
      this.stubs.set(to, s);
    }
    return s;
  }

  private async run(to: string, first: Waiting[]): Promise<void> {
    let batch = first;
    for (;;) {
      try {
        const results = await this.stub(to).deliver(
          this.from,
          batch.map((w) => w.payload),
        );
        batch.forEach((w, i) => {
          const r = results[i];
          if (r) w.done(r);
          else w.fail(new Error('short delivery result'));
        });
      } catch (e) {
        // A stub that saw an error may stay broken; the next batch gets a fresh one.
        this.stubs.delete(to);
        for (const w of batch) w.fail(e);
      }
      const line = this.lines.get(to) ?? [];
      if (line.length === 0) {
        this.lines.delete(to);
        return;
      }
      batch = line.splice(0, MAX_BATCH);
    }
  }
}
