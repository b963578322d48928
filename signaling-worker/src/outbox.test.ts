import { describe, expect, it } from 'vitest';
import { MAX_BATCH, Outbox, type Recipient } from './outbox.ts';
import type { DeliverResult } from './queue.ts';

const DELIVERED: DeliverResult = { status: 'delivered' };

/** A recipient whose RPCs stay in flight until the test releases them. */
function recipient() {
  const calls: {
    from: string;
    payloads: string[];
    release: (r: DeliverResult[] | Error) => void;
  }[] = [];
  const stub: Recipient = {
    deliver: (from, payloads) =>
      new Promise((resolve, reject) =>
        calls.push({
          from,
          payloads,
          release: (r) => (r instanceof Error ? reject(r) : resolve(r)),
        }),
      ),
  };
  return { stub, calls };
}

/** Resolves after the outbox's zero timer (and everything queued before it) has run. */
const turn = () => new Promise((r) => setTimeout(r, 0));

describe('Outbox', () => {
  it('sends a burst to one recipient as one RPC, in order, one result per signal', async () => {
    const r = recipient();
    const out = new Outbox('a'.repeat(64), () => r.stub);
    const sent = ['p1', 'p2', 'p3'].map((p) => out.send('b', p));
    await turn();
    expect(r.calls.map((c) => c.payloads)).toEqual([['p1', 'p2', 'p3']]);
    expect(r.calls[0]?.from).toBe('a'.repeat(64));
    const queued: DeliverResult = { status: 'queued', expires_at: 5 };
    r.calls[0]?.release([DELIVERED, queued, DELIVERED]);
    expect(await Promise.all(sent)).toEqual([DELIVERED, queued, DELIVERED]);
  });

  it('queues what arrives during an RPC as the next batch, after it returns', async () => {
    const r = recipient();
    const out = new Outbox('a', () => r.stub);
    const first = out.send('b', 'p1');
    await turn();
    const later = [out.send('b', 'p2'), out.send('b', 'p3')];
    await turn();
    expect(r.calls).toHaveLength(1);
    r.calls[0]?.release([DELIVERED]);
    await first;
    await turn();
    expect(r.calls.map((c) => c.payloads)).toEqual([['p1'], ['p2', 'p3']]);
    r.calls[1]?.release([DELIVERED, DELIVERED]);
    expect(await Promise.all(later)).toEqual([DELIVERED, DELIVERED]);
  });

  it(`splits more than ${MAX_BATCH} waiting signals into batches, keeping the order`, async () => {
    const r = recipient();
    const out = new Outbox('a', () => r.stub);
    const payloads = Array.from({ length: MAX_BATCH + 3 }, (_, i) => `p${i}`);
    const sent = payloads.map((p) => out.send('b', p));
    await turn();
    r.calls[0]?.release(r.calls[0].payloads.map(() => DELIVERED));
    await turn();
    r.calls[1]?.release(r.calls[1].payloads.map(() => DELIVERED));
    await Promise.all(sent);
    expect(r.calls.map((c) => c.payloads.length)).toEqual([MAX_BATCH, 3]);
    expect(r.calls.flatMap((c) => c.payloads)).toEqual(payloads);
  });

  it('fails every signal of a failed batch, then uses a fresh stub', async () => {
    const r = recipient();
    let resolved = 0;
    const out = new Outbox('a', () => {
      resolved++;
      return r.stub;
    });
    const sent = [out.send('b', 'p1'), out.send('b', 'p2')];
    await turn();
    r.calls[0]?.release(new Error('object reset'));
    for (const s of sent) await expect(s).rejects.toThrow('object reset');
    const again = out.send('b', 'p3');
    await turn();
    r.calls[1]?.release([DELIVERED]);
    expect(await again).toEqual(DELIVERED);
    expect(resolved).toBe(2);
  });

  it('keeps recipients independent: one slow recipient does not hold another', async () => {
    const slow = recipient();
    const fast = recipient();
    const out = new Outbox('a', (to) => (to === 'slow' ? slow.stub : fast.stub));
    void out.send('slow', 'p1');
    const other = out.send('fast', 'p2');
    await turn();
    fast.calls[0]?.release([DELIVERED]);
    expect(await other).toEqual(DELIVERED);
    expect(slow.calls).toHaveLength(1);
  });

  it('rejects a signal the recipient returned no result for', async () => {
    const r = recipient();
    const out = new Outbox('a', () => r.stub);
    const sent = [out.send('b', 'p1'), out.send('b', 'p2')];
    await turn();
    r.calls[0]?.release([DELIVERED]);
    expect(await sent[0]).toEqual(DELIVERED);
    await expect(sent[1]).rejects.toThrow('short delivery result');
  });
});
