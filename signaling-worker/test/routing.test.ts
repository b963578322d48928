import { describe, expect, inject, it } from 'vitest';
import { fakePayload, newIdentity, registered } from './helpers.ts';

describe('routing', () => {
  it('delivers a signal to every live connection of the recipient, `from` set by the Worker', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const mallory = newIdentity();
    const a = await registered(alice);
    const bs = [await registered(bob), await registered(bob), await registered(bob)];
    expect(bs.map((b) => b.ok.connections)).toEqual([1, 2, 3]);
    const payload = fakePayload(64, 1);
    // A client-supplied `from` is ignored: the Worker stamps the authenticated key.
    a.c.send({ type: 'signal', to: bob.hex, payload, ref: 'r1', from: mallory.hex });
    expect(await a.c.next()).toEqual({ type: 'sent', ref: 'r1', status: 'delivered' });
    for (const b of bs) {
      expect(await b.c.next()).toEqual({ type: 'signal', from: alice.hex, payload });
    }
    await Promise.all([a.c.close(), ...bs.map((b) => b.c.close())]);
  });

  it('acknowledges only signals that carry a ref', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    const b = await registered(bob);
    a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(8, 1) });
    a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(8, 2), ref: 'second' });
    expect(await a.c.next()).toEqual({ type: 'sent', ref: 'second', status: 'delivered' });
    expect((await b.c.next()).payload).toBe(fakePayload(8, 1));
    expect((await b.c.next()).payload).toBe(fakePayload(8, 2));
    await Promise.all([a.c.close(), b.c.close()]);
  });

  it('keeps one sender’s signals in order', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    const b = await registered(bob);
    const sent = Array.from({ length: 15 }, (_, i) => fakePayload(12, i));
    for (const p of sent) a.c.send({ type: 'signal', to: bob.hex, payload: p });
    const got: unknown[] = [];
    for (let i = 0; i < sent.length; i++) got.push((await b.c.next()).payload);
    expect(got).toEqual(sent);
    await Promise.all([a.c.close(), b.c.close()]);
  });

  it('routes a signal a key sends to itself to all its connections', async () => {
    const alice = newIdentity();
    const a1 = await registered(alice);
    const a2 = await registered(alice);
    const payload = fakePayload(4, 9);
    a1.c.send({ type: 'signal', to: alice.hex, payload });
    expect(await a1.c.next()).toEqual({ type: 'signal', from: alice.hex, payload });
    expect(await a2.c.next()).toEqual({ type: 'signal', from: alice.hex, payload });
    await Promise.all([a1.c.close(), a2.c.close()]);
  });
});

describe('offline queue', () => {
  it('queues for an offline recipient and delivers once, in order, on registration', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    const payloads = [fakePayload(20, 1), fakePayload(20, 2), fakePayload(20, 3)];
    for (const [i, p] of payloads.entries()) {
      const before = Date.now();
      a.c.send({ type: 'signal', to: bob.hex, payload: p, ref: `q${i}` });
      const ack = await a.c.next();
      expect(ack).toMatchObject({ type: 'sent', ref: `q${i}`, status: 'queued' });
      const ttl = Number(inject('testVars').QUEUE_TTL_MS);
      expect(Number(ack.expires_at)).toBeGreaterThanOrEqual(before + ttl - 50);
      expect(Number(ack.expires_at)).toBeLessThanOrEqual(Date.now() + ttl + 50);
    }
    const first = await registered(bob);
    expect(first.ok).toEqual({ type: 'register_ok', key: bob.hex, connections: 1, queued: 3 });
    for (const p of payloads) {
      const f = await first.c.next();
      expect(f).toMatchObject({ type: 'signal', from: alice.hex, payload: p });
      expect(typeof f.queued_at).toBe('number');
    }
    await first.c.close();
    // Delivered means deleted: a second registration finds nothing, and live routing resumes.
    const again = await registered(bob);
    expect(again.ok.queued).toBe(0);
    a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(4, 4) });
    expect(await again.c.next()).toEqual({
      type: 'signal',
      from: alice.hex,
      payload: fakePayload(4, 4),
    });
    await Promise.all([a.c.close(), again.c.close()]);
  });

  it('refuses the signal past the count bound with 1004 and retry_after; keeps the first ones', async () => {
    const max = Number(inject('testVars').QUEUE_MAX_SIGNALS);
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    for (let i = 0; i < max; i++) {
      a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(8, i), ref: `n${i}` });
      expect(await a.c.next()).toMatchObject({ type: 'sent', ref: `n${i}`, status: 'queued' });
    }
    a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(8, 99), ref: 'over' });
    const err = await a.c.next();
    expect(err).toMatchObject({
      type: 'error',
      code: 1004,
      message: 'recipient queue full',
      ref: 'over',
    });
    const ttlSeconds = Math.ceil(Number(inject('testVars').QUEUE_TTL_MS) / 1000);
    expect(err.retry_after).toBeGreaterThanOrEqual(1);
    expect(err.retry_after).toBeLessThanOrEqual(ttlSeconds);
    const b = await registered(bob);
    expect(b.ok.queued).toBe(max);
    for (let i = 0; i < max; i++) expect((await b.c.next()).payload).toBe(fakePayload(8, i));
    await Promise.all([a.c.close(), b.c.close()]);
  });

  it('refuses the signal past the byte bound', async () => {
    const maxBytes = Number(inject('testVars').QUEUE_MAX_BYTES);
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    // Each entry counts 64 (sender key) + payload characters: two of these exceed the bound.
    const big = fakePayload(Math.floor((maxBytes / 2) * 0.75), 5);
    expect(64 + big.length).toBeLessThanOrEqual(maxBytes);
    expect(2 * (64 + big.length)).toBeGreaterThan(maxBytes);
    a.c.send({ type: 'signal', to: bob.hex, payload: big, ref: 'b1' });
    expect(await a.c.next()).toMatchObject({ type: 'sent', ref: 'b1', status: 'queued' });
    a.c.send({ type: 'signal', to: bob.hex, payload: big, ref: 'b2' });
    expect(await a.c.next()).toMatchObject({ type: 'error', code: 1004, ref: 'b2' });
    const b = await registered(bob);
    expect(b.ok.queued).toBe(1);
    await Promise.all([a.c.close(), b.c.close()]);
  });

  it('drops entries after the TTL', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(8, 1), ref: 'ttl' });
    const ack = await a.c.next();
    expect(ack).toMatchObject({ type: 'sent', status: 'queued' });
    // Wait for the deadline the Worker announced (same machine clock), not a guessed sleep.
    const wait = Number(ack.expires_at) - Date.now() + 100;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    const b = await registered(bob);
    expect(b.ok.queued).toBe(0);
    await Promise.all([a.c.close(), b.c.close()]);
  });
});
