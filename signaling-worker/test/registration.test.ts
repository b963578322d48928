import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, inject, it } from 'vitest';
import { registerSignedBytes } from '../../src/signaling/protocol.ts';
import { newIdentity, RawClient, registered, signRegister } from './helpers.ts';

async function challenged(hex: string): Promise<{ c: RawClient; challenge: string }> {
  const c = await RawClient.open(hex);
  const ch = await c.next();
  expect(ch.type).toBe('challenge');
  expect(ch.challenge).toMatch(/^[0-9a-f]{64}$/);
  return { c, challenge: String(ch.challenge) };
}

describe('registration', () => {
  it('health answers 200 JSON', async () => {
    const r = await fetch(`${inject('workerUrl')}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, service: 'peerline-signaling', protocol: 1 });
  });

  it('accepts a correctly signed challenge', async () => {
    const id = newIdentity();
    const { c, ok } = await registered(id);
    expect(ok).toEqual({ type: 'register_ok', key: id.hex, connections: 1, queued: 0 });
    await c.close();
  });

  it('sends a fresh challenge per connection', async () => {
    const id = newIdentity();
    const a = await challenged(id.hex);
    const b = await challenged(id.hex);
    expect(a.challenge).not.toBe(b.challenge);
    await Promise.all([a.c.close(), b.c.close()]);
  });

  it('rejects a wrong signature with 1002 and closes', async () => {
    const id = newIdentity();
    const other = newIdentity();
    const { c, challenge } = await challenged(id.hex);
    const msg = registerSignedBytes(challenge, 'http://127.0.0.1:5173', Date.now(), id.hex);
    if (!msg) throw new Error('unreachable');
    const sig = bytesToHex(ed25519.sign(msg, other.secretKey));
    c.send({ type: 'register', key: id.hex, timestamp: Date.now(), signature: sig });
    expect(await c.next()).toEqual({
      type: 'register_failed',
      code: 1002,
      message: 'invalid signature',
      close: 4001,
    });
    expect(await c.closed).toEqual({ code: 4001, reason: 'invalid signature' });
  });

  it('rejects a signature bound to another Origin with 1002', async () => {
    const id = newIdentity();
    const { c, challenge } = await challenged(id.hex);
    c.send(signRegister(id, challenge, 'https://evil.example'));
    expect(await c.next()).toMatchObject({ type: 'register_failed', code: 1002 });
    expect((await c.closed).code).toBe(4001);
  });

  it('rejects a replayed registration (another connection’s challenge) with 1002', async () => {
    const id = newIdentity();
    const first = await challenged(id.hex);
    const answer = signRegister(id, first.challenge);
    first.c.send(answer);
    expect(await first.c.next()).toMatchObject({ type: 'register_ok' });
    const second = await challenged(id.hex);
    second.c.send(answer);
    expect(await second.c.next()).toEqual({
      type: 'register_failed',
      code: 1002,
      message: 'invalid signature',
      close: 4001,
    });
    expect((await second.c.closed).code).toBe(4001);
    await first.c.close();
  });

  it('a challenge is single-use: a second register on a registered socket is refused', async () => {
    const id = newIdentity();
    const { c, challenge } = await challenged(id.hex);
    const answer = signRegister(id, challenge);
    c.send(answer);
    expect(await c.next()).toMatchObject({ type: 'register_ok' });
    c.send(answer);
    expect(await c.next()).toEqual({ type: 'error', code: 1000, message: 'already registered' });
    await c.close();
  });

  it('expires an unanswered challenge: register_failed 1001, close 4002', async () => {
    const id = newIdentity();
    const { c } = await challenged(id.hex);
    const started = Date.now();
    expect(await c.next(10_000)).toEqual({
      type: 'register_failed',
      code: 1001,
      message: 'challenge expired',
      close: 4002,
    });
    // The cooperative client closes on the frame; the Worker echoes its code.
    expect((await c.closed).code).toBe(4002);
    expect(Date.now() - started).toBeGreaterThanOrEqual(
      Number(inject('testVars').CHALLENGE_TTL_MS) - 200,
    );
  });

  it('closes an expired socket itself (4002) when the client ignores the announcement', async () => {
    const id = newIdentity();
    const c = await RawClient.open(id.hex, { cooperative: false });
    expect((await c.next()).type).toBe('challenge');
    expect(await c.next(10_000)).toMatchObject({ type: 'register_failed', close: 4002 });
    // The Worker's own close comes after the 2 s grace; under local workerd the TCP teardown
    // after a close sent from an alarm can lag by the object's 10 s idle timer.
    expect(await c.closed).toEqual({ code: 4002, reason: 'challenge expired' });
  }, 30_000);

  it('rejects a key that differs from the connection path with 1001', async () => {
    const id = newIdentity();
    const other = newIdentity();
    const { c, challenge } = await challenged(id.hex);
    c.send(signRegister(other, challenge));
    expect(await c.next()).toEqual({
      type: 'register_failed',
      code: 1001,
      message: 'key does not match the connection',
      close: 4001,
    });
    expect((await c.closed).code).toBe(4001);
  });

  it('rejects a timestamp outside the allowed skew with 1001', async () => {
    const id = newIdentity();
    const { c, challenge } = await challenged(id.hex);
    c.send(signRegister(id, challenge, undefined, Date.now() - 3_600_000));
    expect(await c.next()).toEqual({
      type: 'register_failed',
      code: 1001,
      message: 'timestamp out of range',
      close: 4001,
    });
    expect((await c.closed).code).toBe(4001);
  });

  it('refuses any message before registration: error 1001, close 4005', async () => {
    const id = newIdentity();
    const { c } = await challenged(id.hex);
    c.send({ type: 'signal', to: newIdentity().hex, payload: 'AAAA' });
    expect(await c.next()).toEqual({
      type: 'error',
      code: 1001,
      message: 'not registered',
      close: 4005,
    });
    expect(await c.closed).toEqual({ code: 4005, reason: 'not registered' });
  });

  it('refuses malformed JSON before registration: error 1000, close 4005', async () => {
    const id = newIdentity();
    const { c } = await challenged(id.hex);
    c.send('{not json');
    expect(await c.next()).toEqual({
      type: 'error',
      code: 1000,
      message: 'invalid JSON',
      close: 4005,
    });
    expect((await c.closed).code).toBe(4005);
  });

  it('rejects a non-canonical key path with 404', async () => {
    const id = newIdentity();
    await expect(RawClient.open(id.hex.toUpperCase())).rejects.toMatchObject({ status: 404 });
  });
});
