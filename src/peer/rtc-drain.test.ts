import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.ts';
import { ChannelDrain, DRAIN_POLL_MS } from './rtc-drain.ts';

/** An RTCDataChannel's drain surface, driven by hand. */
class FakeChannel {
  bufferedAmount = 1000;
  bufferedAmountLowThreshold = 0;
  private readonly listeners = new Set<() => void>();
  addEventListener(_t: 'bufferedamountlow', l: () => void): void {
    this.listeners.add(l);
  }
  removeEventListener(_t: 'bufferedamountlow', l: () => void): void {
    this.listeners.delete(l);
  }
  drainTo(amount: number): void {
    const crossed = this.bufferedAmount > this.bufferedAmountLowThreshold;
    this.bufferedAmount = amount;
    if (crossed && amount <= this.bufferedAmountLowThreshold) for (const l of this.listeners) l();
  }
  get listening(): number {
    return this.listeners.size;
  }
}

describe('ChannelDrain', () => {
  it("uses the channel's bufferedamountlow event, aiming the threshold at the highest waiter", async () => {
    const ch = new FakeChannel();
    const drain = new ChannelDrain({ _channel: ch }, createFakeClock(), () => ch.bufferedAmount);
    const log: number[] = [];
    void drain.wait(100).then(() => log.push(100));
    void drain.wait(500).then(() => log.push(500));
    expect(ch.bufferedAmountLowThreshold).toBe(500);
    ch.drainTo(400);
    await Promise.resolve();
    expect(log).toEqual([500]);
    expect(ch.bufferedAmountLowThreshold).toBe(100);
    ch.drainTo(50);
    await Promise.resolve();
    expect(log).toEqual([500, 100]);
    await drain.wait(60); // already low: at once
    drain.close();
    expect(ch.listening).toBe(0);
  });

  it('polls every 5 ms without a channel event, and rejects 2001 on close', async () => {
    const clock = createFakeClock();
    let amount = 1000;
    const drain = new ChannelDrain({}, clock, () => amount);
    const log: number[] = [];
    void drain.wait(10).then(() => log.push(clock.now()));
    const start = clock.now();
    amount = 5;
    clock.advance(DRAIN_POLL_MS - 1);
    await Promise.resolve();
    expect(log).toEqual([]);
    clock.advance(1);
    await Promise.resolve();
    expect(log).toEqual([start + DRAIN_POLL_MS]);
    amount = 1000;
    const pending = drain.wait(10);
    drain.close();
    await expect(pending).rejects.toMatchObject({ code: 2001 });
    expect(clock.pending()).toBe(0);
  });
});
