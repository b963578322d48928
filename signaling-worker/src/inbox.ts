// The recipient side of routing: a batch of one sender's signals (outbox.ts) is delivered to every
// registered socket of this key, or, with none, stored in the offline queue (queue.ts).
import type { Config } from './config.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { DeliverResult, SignalQueue } from './queue.ts';
import type { SocketTable } from './socket-table.ts';
import { sendFrame, signalFrame } from './sockets.ts';

const DELIVERED: DeliverResult = { status: 'delivered' };

export class Inbox {
  constructor(
    private readonly config: Config,
    private readonly sockets: SocketTable,
    private readonly queue: SignalQueue,
    private readonly life: Lifecycle,
  ) {}

  /** One result per signal, in sending order. */
  async deliver(from: string, payloads: readonly string[]): Promise<DeliverResult[]> {
    const live = this.sockets.registered();
    if (live.length > 0) {
      for (const payload of payloads) {
        const frame = signalFrame(from, payload);
        for (const ws of live) sendFrame(ws, frame);
      }
      return payloads.map(() => DELIVERED);
    }
    // Decided once per batch: the queueing below awaits only storage, which holds the input gate,
    // so a registration cannot run halfway through the batch. It drains the queue afterwards and
    // gets every signal in order, as when each signal was its own event.
    const out: DeliverResult[] = [];
    for (const payload of payloads) out.push(await this.enqueue(from, payload));
    return out;
  }

  private async enqueue(from: string, payload: string): Promise<DeliverResult> {
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
}
