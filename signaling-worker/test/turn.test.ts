import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { coturnArgs } from '../../scripts/coturn-args.mjs';
import { newIdentity, registered } from './helpers.ts';
import { ALLOCATE_ERROR, ALLOCATE_SUCCESS, allocate, waitForTurn } from './stun.ts';

const REALM = 'peerline.test';
let coturn: ChildProcess | undefined;
let dir = '';
let minPort = 0;
let maxPort = 0;

beforeAll(async () => {
  const port = inject('turnPort');
  dir = mkdtempSync(join(tmpdir(), 'peerline-coturn-'));
  minPort = 50_000 + randomInt(0, 150) * 100;
  maxPort = minPort + 40;
  coturn = spawn(
    '/usr/bin/turnserver',
    coturnArgs({
      ip: '127.0.0.1',
      port,
      minPort,
      maxPort,
      realm: REALM,
      secret: inject('turnSecret'),
      dir,
    }),
    { stdio: 'ignore' },
  );
  await waitForTurn(port, 10_000);
});

afterAll(async () => {
  if (coturn && coturn.exitCode === null) {
    const exited = new Promise((r) => coturn?.once('exit', r));
    coturn.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

interface IceFrame {
  type: string;
  ref: string;
  expires_at: number;
  ice_servers: { urls: string[]; username: string; credential: string }[];
}

async function iceServers(): Promise<{
  frame: IceFrame;
  key: string;
  close: () => Promise<unknown>;
}> {
  const id = newIdentity();
  const { c } = await registered(id);
  c.send({ type: 'ice_servers', ref: 'ice' });
  const frame = (await c.next()) as unknown as IceFrame;
  return { frame, key: id.hex, close: () => c.close() };
}

describe('TURN credentials', () => {
  it('mints coturn REST credentials: expiry:key, base64 HMAC-SHA1, configured URLs, ≤ TTL', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { frame, key, close } = await iceServers();
    const port = inject('turnPort');
    const ttl = Number(inject('testVars').TURN_TTL_SECONDS);
    expect(frame.type).toBe('ice_servers');
    expect(frame.ref).toBe('ice');
    expect(frame.expires_at).toBeGreaterThanOrEqual(before + ttl);
    expect(frame.expires_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + ttl);
    const [server] = frame.ice_servers;
    if (!server) throw new Error('no ice server');
    expect(frame.ice_servers).toHaveLength(1);
    expect(server.urls).toEqual([
      `turn:127.0.0.1:${port}?transport=udp`,
      `turn:127.0.0.1:${port}?transport=tcp`,
    ]);
    expect(server.username).toBe(`${frame.expires_at}:${key}`);
    const expected = createHmac('sha1', inject('turnSecret'))
      .update(server.username)
      .digest('base64');
    expect(server.credential).toBe(expected);
    await close();
  });

  it('a real coturn (--use-auth-secret) grants a relay allocation with the minted credentials', async () => {
    const { frame, close } = await iceServers();
    const [server] = frame.ice_servers;
    if (!server) throw new Error('no ice server');
    const res = await allocate(inject('turnPort'), server.username, server.credential);
    expect(res.type).toBe(ALLOCATE_SUCCESS);
    expect(res.relayed?.address).toBe('127.0.0.1');
    expect(res.relayed?.port).toBeGreaterThanOrEqual(minPort);
    expect(res.relayed?.port).toBeLessThanOrEqual(maxPort);
    await close();
  });

  it('coturn refuses credentials made with another secret, and expired ones', async () => {
    const { frame, key, close } = await iceServers();
    const [server] = frame.ice_servers;
    if (!server) throw new Error('no ice server');
    const forged = createHmac('sha1', 'wrong-secret').update(server.username).digest('base64');
    const wrong = await allocate(inject('turnPort'), server.username, forged);
    expect(wrong.type).toBe(ALLOCATE_ERROR);
    expect(wrong.error).toBe(401);
    const expiredName = `${Math.floor(Date.now() / 1000) - 60}:${key}`;
    const expiredCred = createHmac('sha1', inject('turnSecret'))
      .update(expiredName)
      .digest('base64');
    const expired = await allocate(inject('turnPort'), expiredName, expiredCred);
    expect(expired.type).toBe(ALLOCATE_ERROR);
    expect(expired.error).toBe(401);
    await close();
  });
});
