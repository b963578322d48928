// Heartbeat (PROTOCOL.md §6) on a fake clock: ping after 30 s without sending, close with 2000
// after 90 s without receiving.

import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.ts';
import type { Side } from './duplex.ts';
import type { Message } from './message-types.ts';
import { connectPair, disconnected, nextEvent } from './test-support.ts';

const isType = (t: Message['type']) => (m: Message) => m.type === t;

describe('heartbeat', () => {
  it('pings after 30 s of silence, pongs echo the seq, and an idle live session stays up', async () => {
    const clock = createFakeClock();
    const { a, b } = await connectPair({ clock });
    const sent = a.stats.framesSent;
    clock.advance(29_999);
    expect(a.stats.framesSent).toBe(sent);
    for (let round = 0; round < 10; round++) {
      const pingAtB = nextEvent(b, 'message', isType('ping'));
      const pongAtA = nextEvent(a, 'message', isType('pong'));
      const pongAtB = nextEvent(b, 'message', isType('pong'));
      clock.advance(round === 0 ? 1 : 30_000);
      const [ping, pong] = await Promise.all([pingAtB, pongAtA, pongAtB]);
      expect(ping.payload).toEqual({ seq: round });
      expect(pong.payload).toEqual({ seq: round });
    }
    expect(a.state.name).toBe('connected');
    expect(b.state.name).toBe('connected');
  });

  it('sending postpones the ping', async () => {
    const clock = createFakeClock();
    const quiet = { limits: { heartbeatMs: 1e9, inactivityMs: 1e9 } };
    const { a, b } = await connectPair({ clock, b: quiet });
    const pings: Message[] = [];
    b.on('message', (m) => m.type === 'ping' && pings.push(m));
    clock.advance(20_000);
    const text = nextEvent(b, 'message', isType('text'));
    await a.send({ type: 'text', payload: { text: 'activity' } });
    await text;
    const ping = nextEvent(b, 'message', isType('ping'));
    clock.advance(29_999);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect((await ping).payload).toEqual({ seq: 0 });
  });

  it('nothing received for 90 s: NETWORK_TIMEOUT 2000, and the peer is told', async () => {
    const clock = createFakeClock();
    let cut = false;
    const tap = (d: Uint8Array, from: Side) => (cut && from === 'b' ? [] : [d]);
    const { a, b } = await connectPair({ clock, duplex: { tap } });
    cut = true;
    for (let i = 0; i < 2; i++) {
      const ping = nextEvent(b, 'message', isType('ping'));
      clock.advance(30_000);
      await ping;
      expect(a.state.name).toBe('connected');
    }
    clock.advance(29_999);
    expect(a.state.name).toBe('connected');
    clock.advance(1);
    expect((await disconnected(a)).reason).toEqual({
      code: 2000,
      detail: 'no frame for too long',
      by: 'local',
    });
    expect((await disconnected(b)).reason).toEqual({
      code: 2000,
      detail: 'no frame for too long',
      by: 'remote',
    });
  });
});
