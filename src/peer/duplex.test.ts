import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.ts';
import { createDuplexPair, type Duplex } from './duplex.ts';

function record(d: Duplex) {
  const log: string[] = [];
  d.attach({
    open: () => log.push('open'),
    message: (m) => log.push(`msg:${[...m].join(',')}`),
    close: () => log.push('close'),
  });
  return log;
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('in-memory duplex pair', () => {
  it('delivers in order, as copies, after the current task', async () => {
    const { a, b } = createDuplexPair();
    const log = record(b);
    const buf = new Uint8Array([1]);
    a.send(buf);
    buf[0] = 9;
    a.send(new Uint8Array([2]));
    expect(log).toEqual([]);
    await flush();
    expect(log).toEqual(['msg:1', 'msg:2']);
  });

  it('manual open fires open on both ends; send before open throws 2001', () => {
    const pair = createDuplexPair({ open: 'manual' });
    const la = record(pair.a);
    expect(() => pair.a.send(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 2001 }));
    pair.open();
    expect(la).toEqual(['open']);
    expect(pair.a.state).toBe('open');
  });

  it('latency and bandwidth follow the clock; bufferedAmount drains at the link rate', () => {
    const clock = createFakeClock(0);
    const { a, b } = createDuplexPair({ clock, latencyMs: 50, bytesPerSecond: 1000 });
    const log = record(b);
    a.send(new Uint8Array(100)); // leaves at 100 ms, arrives at 150 ms
    a.send(new Uint8Array(100)); // leaves at 200 ms, arrives at 250 ms
    expect(a.bufferedAmount).toBe(200);
    clock.advance(100);
    expect(a.bufferedAmount).toBe(100);
    clock.advance(49);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toHaveLength(1);
    clock.advance(100);
    expect(log).toHaveLength(2);
    expect(a.bufferedAmount).toBe(0);
  });

  it('a tap can drop, duplicate and rewrite messages', async () => {
    const { a, b } = createDuplexPair({
      tap: (d) => (d[0] === 0 ? [] : d[0] === 1 ? [d, d] : [new Uint8Array([d[0] ?? 0, 99])]),
    });
    const log = record(b);
    for (const x of [0, 1, 2]) a.send(new Uint8Array([x]));
    await flush();
    expect(log).toEqual(['msg:1', 'msg:1', 'msg:2,99']);
  });

  it('close(): pending messages still arrive, then the peer sees close', async () => {
    const { a, b } = createDuplexPair();
    const la = record(a);
    const lb = record(b);
    a.send(new Uint8Array([7]));
    a.close();
    expect(la).toEqual(['close']);
    await flush();
    expect(lb).toEqual(['msg:7', 'close']);
    expect(b.state).toBe('closed');
  });

  it('fail(): both ends close at once and queued messages are lost', async () => {
    const pair = createDuplexPair();
    const lb = record(pair.b);
    pair.a.send(new Uint8Array([7]));
    pair.fail();
    await flush();
    expect(lb).toEqual(['close']);
    expect(pair.a.state).toBe('closed');
  });
});

describe('fake clock', () => {
  it('runs timers in deadline order, including ones armed by callbacks', () => {
    const clock = createFakeClock(0);
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 20);
    const h = clock.setTimeout(() => log.push('never'), 15);
    clock.setTimeout(() => {
      log.push(`a@${clock.now()}`);
      clock.setTimeout(() => log.push(`c@${clock.now()}`), 5);
    }, 10);
    clock.clearTimeout(h);
    clock.advance(30);
    expect(log).toEqual(['a@10', 'c@15', 'b@20']);
    expect(clock.now()).toBe(30);
    expect(clock.pending()).toBe(0);
  });
});

describe('whenBufferedBelow (drain signal)', () => {
  it('resolves at once when already low, else when the clock drains the buffer', async () => {
    const clock = createFakeClock(0);
    const { a } = createDuplexPair({ clock, bytesPerSecond: 1000 });
    await a.whenBufferedBelow?.(0);
    for (let i = 0; i < 3; i++) a.send(new Uint8Array(100)); // leave at 100, 200, 300 ms
    const log: string[] = [];
    void a.whenBufferedBelow?.(100).then(() => log.push(`≤100@${clock.now()}`));
    void a.whenBufferedBelow?.(0).then(() => log.push(`0@${clock.now()}`));
    await Promise.resolve();
    clock.advance(199);
    await Promise.resolve();
    expect(log).toEqual([]);
    clock.advance(1);
    await Promise.resolve();
    expect(log).toEqual(['≤100@200']);
    clock.advance(100);
    await Promise.resolve();
    expect(log).toEqual(['≤100@200', '0@300']);
  });

  it('rejects with 2001 when the link closes or fails', async () => {
    const clock = createFakeClock(0);
    const pair = createDuplexPair({ clock, bytesPerSecond: 10 });
    pair.a.send(new Uint8Array(100));
    const waiting = pair.a.whenBufferedBelow?.(0);
    pair.fail();
    await expect(waiting).rejects.toMatchObject({ code: 2001 });
    await expect(pair.a.whenBufferedBelow?.(0)).rejects.toMatchObject({ code: 2001 });
    expect(clock.pending()).toBe(0);
  });
});
