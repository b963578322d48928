import { describe, expect, inject, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../src/signaling/protocol.ts';
import {
  fakeIp,
  fakePayload,
  newIdentity,
  ORIGIN,
  RawClient,
  registered,
  tryUpgrade,
} from './helpers.ts';

describe('connections per key', () => {
  it('a 6th connection closes the oldest with a reason; the other five keep working', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const conns = [];
    for (let i = 0; i < 5; i++) conns.push(await registered(alice));
    const sixth = await registered(alice);
    expect(sixth.ok.connections).toBe(5);
    const [oldest, ...rest] = conns;
    if (!oldest) throw new Error('unreachable');
    expect(await oldest.c.next()).toEqual({
      type: 'error',
      code: 1006,
      message: 'replaced: more than 5 connections for this key',
      close: 4004,
    });
    expect((await oldest.c.closed).code).toBe(4004);
    const b = await registered(bob);
    b.c.send({ type: 'signal', to: alice.hex, payload: fakePayload(4, 1) });
    for (const c of [...rest, sixth]) {
      expect(await c.c.next()).toEqual({
        type: 'signal',
        from: bob.hex,
        payload: fakePayload(4, 1),
      });
    }
    expect(oldest.c.pending()).toBe(0);
    await Promise.all([...rest, sixth, b].map((x) => x.c.close()));
  });
});

describe('rate limit per key', () => {
  it('answers 1004 with retry_after past the limit while another client keeps working', async () => {
    const perMinute = Number(inject('testVars').SIGNALS_PER_MINUTE);
    const alice = newIdentity();
    const carol = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    const c = await registered(carol);
    const b = await registered(bob);
    for (let i = 0; i < perMinute; i++)
      a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(4, i) });
    a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(4, 200), ref: 'limited' });
    const err = await a.c.next();
    expect(err).toMatchObject({ type: 'error', code: 1004, ref: 'limited' });
    // One token comes back every 60/perMinute seconds.
    expect(err.retry_after).toBeGreaterThanOrEqual(1);
    expect(err.retry_after).toBeLessThanOrEqual(Math.ceil(60 / perMinute));
    for (let i = 0; i < perMinute; i++) expect((await b.c.next()).payload).toBe(fakePayload(4, i));
    c.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(4, 201), ref: 'ok' });
    expect(await c.c.next()).toEqual({ type: 'sent', ref: 'ok', status: 'delivered' });
    expect(await b.c.next()).toEqual({
      type: 'signal',
      from: carol.hex,
      payload: fakePayload(4, 201),
    });
    expect(a.c.ws.readyState).toBe(1);
    await Promise.all([a.c.close(), b.c.close(), c.c.close()]);
  });
});

describe('frame checks', () => {
  it('answers oversize frames with 1000 and keeps the connection; exactly 16 KiB passes', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice);
    const b = await registered(bob);
    const base = JSON.stringify({ type: 'signal', to: bob.hex, payload: 'AAAA', pad: '' });
    const exact = JSON.stringify({
      type: 'signal',
      to: bob.hex,
      payload: 'AAAA',
      pad: 'x'.repeat(MAX_FRAME_BYTES - base.length),
    });
    expect(exact.length).toBe(MAX_FRAME_BYTES);
    a.c.send(`${exact} `);
    expect(await a.c.next()).toEqual({
      type: 'error',
      code: 1000,
      message: 'frame larger than 16384 bytes',
    });
    a.c.send(exact);
    expect(await b.c.next()).toEqual({ type: 'signal', from: alice.hex, payload: 'AAAA' });
    await Promise.all([a.c.close(), b.c.close()]);
  });

  it('answers malformed frames with 1000 without closing anyone', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const carol = newIdentity();
    const a = await registered(alice);
    const b = await registered(bob);
    const c = await registered(carol);
    const cases: [unknown, Record<string, unknown>][] = [
      ['{oops', { message: 'invalid JSON' }],
      ['[1,2]', { message: 'not a JSON object' }],
      [
        { type: 'teleport', ref: 't1' },
        { message: 'unknown type', ref: 't1' },
      ],
      [
        { type: 'signal', to: 'bob', payload: 'AAAA', ref: 't2' },
        { message: 'invalid to', ref: 't2' },
      ],
      [{ type: 'signal', to: bob.hex, payload: 'not base64!', ref: 't3' }, { ref: 't3' }],
      [
        { type: 'signal', to: bob.hex, payload: 'AAAA', ref: 'bad ref!' },
        { message: 'invalid ref' },
      ],
    ];
    for (const [frame, expected] of cases) {
      a.c.send(frame);
      expect(await a.c.next()).toMatchObject({ type: 'error', code: 1000, ...expected });
    }
    a.c.ws.send(Buffer.from([1, 2, 3]));
    expect(await a.c.next()).toEqual({
      type: 'error',
      code: 1000,
      message: 'binary frames are not accepted',
    });
    c.c.send({ type: 'signal', to: bob.hex, payload: 'AAAA' });
    expect(await b.c.next()).toEqual({ type: 'signal', from: carol.hex, payload: 'AAAA' });
    a.c.send({ type: 'signal', to: bob.hex, payload: 'BBBB' });
    expect(await b.c.next()).toEqual({ type: 'signal', from: alice.hex, payload: 'BBBB' });
    await Promise.all([a.c.close(), b.c.close(), c.c.close()]);
  });
});

describe('origin allow-list', () => {
  it('refuses a foreign Origin with 403 before the upgrade', async () => {
    const id = newIdentity();
    const r = await tryUpgrade(id.hex, { Origin: 'https://evil.example' });
    expect(r).toEqual({
      status: 403,
      body: { code: 1006, message: 'origin not allowed' },
      retryAfter: undefined,
    });
    await expect(RawClient.open(id.hex, { origin: 'https://evil.example' })).rejects.toMatchObject({
      status: 403,
    });
  });

  it('refuses a missing or "null" Origin with 403', async () => {
    const id = newIdentity();
    expect((await tryUpgrade(id.hex, {})).status).toBe(403);
    expect((await tryUpgrade(id.hex, { Origin: 'null' })).status).toBe(403);
  });

  it('accepts listed origins: an exact entry and localhost on any port', async () => {
    const id = newIdentity();
    for (const origin of ['https://app.peerline.test', 'http://localhost:41234', ORIGIN]) {
      const c = await RawClient.open(id.hex, { origin });
      expect((await c.next()).type).toBe('challenge');
      await c.close();
    }
  });

  it('answers a plain GET on the connect path with 426', async () => {
    const id = newIdentity();
    expect((await tryUpgrade(id.hex, { Origin: ORIGIN }, false)).status).toBe(426);
  });
});

describe('per-IP limits', () => {
  it('caps concurrent connections, then the connection rate, with 429 and Retry-After', async () => {
    const max = Number(inject('testVars').IP_MAX_CONCURRENT);
    const burst = Number(inject('testVars').IP_CONNECT_BURST);
    const ip = fakeIp();
    const open: RawClient[] = [];
    // Registered, so no challenge expiry frees a slot while the test runs.
    for (let i = 0; i < max; i++) open.push((await registered(newIdentity(), { ip })).c);
    const headers = { Origin: ORIGIN, 'CF-Connecting-IP': ip };
    // Attempts over the cap still spend rate tokens, so the burst runs out right after.
    for (let i = max; i < burst; i++) {
      expect(await tryUpgrade(newIdentity().hex, headers)).toEqual({
        status: 429,
        body: { code: 1004, message: 'too many connections', retry_after: 60 },
        retryAfter: '60',
      });
    }
    const rate = await tryUpgrade(newIdentity().hex, headers);
    expect(rate.status).toBe(429);
    expect(rate.body).toMatchObject({ code: 1004, message: 'connection rate' });
    // Another IP is not affected.
    const other = await RawClient.open(newIdentity().hex, { ip: fakeIp() });
    expect((await other.next()).type).toBe('challenge');
    await Promise.all([other, ...open].map((c) => c.close()));
  });
});
