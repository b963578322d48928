import { describe, expect, it } from 'vitest';
import { admin, fakeIp, fakePayload, newIdentity, RawClient, registered } from './helpers.ts';

describe('admin endpoint', () => {
  it('requires the bearer secret', async () => {
    const body = { keys: [newIdentity().hex], reason: 'x' };
    const wrong = await admin('/admin/ban', body, 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 1001, message: 'bad admin token' });
    expect((await admin('/admin/ban', body, '')).status).toBe(401);
  });

  it('validates the request', async () => {
    const bad = await admin('/admin/ban', { keys: ['nope'], reason: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 1000, message: 'keys must be 64-hex public keys' });
    expect((await admin('/admin/ban', { keys: [newIdentity().hex] })).status).toBe(400);
    expect((await admin('/admin/ban', { reason: 'x' })).status).toBe(400);
  });
});

describe('bans', () => {
  it('a banned key is kicked with the reason on every connection and refused afterwards', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a1 = await registered(alice);
    const a2 = await registered(alice);
    const b = await registered(bob);
    const res = await admin('/admin/ban', { keys: [alice.hex], reason: 'spam' });
    expect(await res.json()).toEqual({ ok: true, kicked: 2 });
    const frame = { type: 'error', code: 1006, message: 'banned: spam', close: 4003 };
    expect(await a1.c.next()).toEqual(frame);
    expect(await a2.c.next()).toEqual(frame);
    expect((await a1.c.closed).code).toBe(4003);
    expect((await a2.c.closed).code).toBe(4003);
    // Refused at connect, with the reason, before any challenge.
    const again = await RawClient.open(alice.hex, { cooperative: false });
    expect(await again.next()).toEqual(frame);
    expect(await again.closed).toEqual({ code: 4003, reason: 'banned: spam' });
    expect(await (await admin(`/admin/bans?key=${alice.hex}`)).json()).toEqual({
      key: { reason: 'spam', until: null },
      ip: null,
    });
    // Others are untouched.
    const c = await registered(newIdentity());
    c.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(4, 1), ref: 'x' });
    expect(await c.c.next()).toEqual({ type: 'sent', ref: 'x', status: 'delivered' });
    expect((await admin('/admin/unban', { keys: [alice.hex] })).status).toBe(200);
    const back = await registered(alice);
    expect(back.ok.type).toBe('register_ok');
    await Promise.all([b.c.close(), c.c.close(), back.c.close()]);
  });

  it('a banned IP is kicked on every key it holds, refused afterwards; other IPs stay', async () => {
    const ip = fakeIp();
    const alice = newIdentity();
    const bob = newIdentity();
    const carol = newIdentity();
    const a = await registered(alice, { ip });
    const b = await registered(bob, { ip });
    const c = await registered(carol);
    const res = await admin('/admin/ban', { ips: [ip], reason: 'abuse' });
    expect(await res.json()).toEqual({ ok: true, kicked: 2 });
    const frame = { type: 'error', code: 1006, message: 'banned: abuse', close: 4003 };
    expect(await a.c.next()).toEqual(frame);
    expect(await b.c.next()).toEqual(frame);
    expect((await a.c.closed).code).toBe(4003);
    const refused = await RawClient.open(newIdentity().hex, { ip, cooperative: false });
    expect(await refused.next()).toEqual(frame);
    expect(await refused.closed).toEqual({ code: 4003, reason: 'banned: abuse' });
    const d = await registered(newIdentity());
    d.c.send({ type: 'signal', to: carol.hex, payload: fakePayload(4, 2) });
    expect(await c.c.next()).toEqual({
      type: 'signal',
      from: d.ok.key,
      payload: fakePayload(4, 2),
    });
    expect((await admin('/admin/unban', { ips: [ip] })).status).toBe(200);
    const back = await registered(newIdentity(), { ip });
    expect(back.ok.type).toBe('register_ok');
    await Promise.all([c.c.close(), d.c.close(), back.c.close()]);
  });

  it('a kicked client that ignores the kick is cut off: its frames are dropped, then it is closed', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await registered(alice, { cooperative: false });
    const b = await registered(bob);
    await admin('/admin/ban', { keys: [alice.hex], reason: 'stubborn' });
    expect(await a.c.next()).toMatchObject({ code: 1006, close: 4003 });
    a.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(4, 3) });
    expect(await a.c.closed).toEqual({ code: 4003, reason: 'banned: stubborn' });
    // Bob got nothing from the banned key: the next frame he sees is from someone else.
    const c = await registered(newIdentity());
    c.c.send({ type: 'signal', to: bob.hex, payload: fakePayload(4, 4) });
    expect(await b.c.next()).toEqual({
      type: 'signal',
      from: c.ok.key,
      payload: fakePayload(4, 4),
    });
    await Promise.all([b.c.close(), c.c.close()]);
  });

  it('a ban with a duration reports its end', async () => {
    const alice = newIdentity();
    const before = Date.now();
    await admin('/admin/ban', { keys: [alice.hex], reason: 'cool off', duration_seconds: 600 });
    const status = (await (await admin(`/admin/bans?key=${alice.hex}`)).json()) as {
      key: { until: number };
    };
    expect(status.key.until).toBeGreaterThanOrEqual(before + 600_000);
    expect(status.key.until).toBeLessThanOrEqual(Date.now() + 600_000);
  });
});
