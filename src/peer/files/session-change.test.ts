// Jobs of a lost session still queued when the next session is attached (slow storage backs
// up the engine's queue): their replies must not reach the new session. Here a file_accept of
// the old session, handled late, would start a second run on the new one; the receiver takes its
// file_start as the answer to its own accept, writes its chunks, then sees the real run's
// chunks out of order (3003).

import { describe, expect, it } from 'vitest';
import type { Message } from '../message-types.ts';
import type { PeerSession } from '../session.ts';
import type { SessionEvents } from '../session-types.ts';
import { disconnected } from '../test-support.ts';
import { newTransferId } from './constants.ts';
import { CHUNK, DUPLEX, faultPair, sleep } from './test-faults.ts';
import {
  drive,
  fileBytes,
  link,
  metaFor,
  offerFile,
  recordWhere,
  sameBytes,
  viewOf,
} from './test-support.ts';

function arrived(s: PeerSession, match: (m: Message) => boolean): Promise<Message> {
  return new Promise((resolve) => {
    const off = s.on('message', (m) => {
      if (!match(m)) return;
      off();
      resolve(m);
    });
  });
}

describe('a new session while the old one’s messages are still queued', () => {
  it('a late file_accept of the old session starts no run on the new one', async () => {
    const { clock, l: l1, sa, sb, a, b } = await faultPair();
    a.engine.attach(l1.a);
    b.engine.attach(l1.b);
    const bytes = fileBytes(256 * 1024, 8);
    const { id: x } = await offerFile(clock, a.engine, b.engine, sa.put.bind(sa), bytes, CHUNK, {
      accept: false,
    });
    // A's storage stalls: its queue holds the accept of session 1 and, behind it, a new offer
    // from B (a save each).
    sa.hold();
    const y = newTransferId();
    const yBytes = fileBytes(1000, 9);
    sb.put(y, yBytes);
    const offerSeen = arrived(l1.a, (m) => m.type === 'file_offer' && m.payload.id === y);
    await drive(clock, b.engine.accept(x));
    await drive(clock, b.engine.offer(metaFor(y, yBytes, CHUNK)));
    await drive(clock, offerSeen);
    l1.fail();
    await drive(clock, Promise.all([disconnected(l1.a), disconnected(l1.b)]));
    const l2 = await link(clock, DUPLEX, { a: l1.idA, b: l1.idB });
    const acceptSeen = arrived(l2.a, (m) => m.type === 'file_accept' && m.payload.id === x);
    a.engine.attach(l2.a);
    b.engine.attach(l2.b);
    await drive(clock, acceptSeen);
    // Storage answers the old accept's save only; the offer's save stays held for a while.
    sa.releaseOne();
    await drive(clock, sleep(clock, 100));
    sa.releaseAll();
    const end = await drive(
      clock,
      recordWhere(b.engine, x, (r) => r.status.kind === 'complete' || r.status.kind === 'failed'),
    );
    expect(end.status).toEqual({ kind: 'complete' });
    expect(sameBytes(sb.durableFile(x), bytes)).toBe(true);
    expect(b.errors).toEqual([]);
    expect(a.errors).toEqual([]);
  });
});

describe('a sender paused when the session came up', () => {
  it('re-offers when it resumes, so it learns the outcome it missed (file_done)', async () => {
    const { clock, l: l1, sa, a, b } = await faultPair();
    // A never hears the file_done of session 1 (it was lost with the session).
    const on = <K extends keyof SessionEvents>(event: K, l: (v: SessionEvents[K]) => void) =>
      l1.a.on(event, (v) => {
        if (event !== 'message' || (v as Message).type !== 'file_done') l(v);
      });
    const deaf = viewOf(l1.a, { on });
    a.engine.attach(deaf);
    b.engine.attach(l1.b);
    const bytes = fileBytes(10_000, 3);
    const { id: x } = await offerFile(clock, a.engine, b.engine, sa.put.bind(sa), bytes, CHUNK);
    await drive(
      clock,
      recordWhere(b.engine, x, (r) => r.status.kind === 'complete'),
    );
    l1.fail();
    await drive(clock, Promise.all([disconnected(l1.a), disconnected(l1.b)]));
    // Paused offline: at the next session A does not offer, and B has nothing to resume.
    await drive(clock, a.engine.pause(x));
    const l2 = await link(clock, DUPLEX, { a: l1.idA, b: l1.idB });
    a.engine.attach(l2.a);
    b.engine.attach(l2.b);
    await drive(clock, sleep(clock, 100));
    expect(a.engine.records()[0]?.status).toEqual({ kind: 'paused', by: 'local' });
    await drive(clock, a.engine.resume(x));
    const done = await drive(
      clock,
      recordWhere(a.engine, x, (r) => r.status.kind === 'complete'),
      10_000,
    );
    expect(done.verified).toBe(3);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});

/** Resolves once `cond` holds, checked between event-loop turns. */
function until(cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (cond()) resolve();
      else setImmediate(check);
    };
    check();
  });
}

describe('detach', () => {
  it('mid-run: no chunk is sent after it, and attach/detach cycles leave no listener', async () => {
    const { clock, l, sa, a, b } = await faultPair();
    let listeners = 0;
    let sent = 0;
    const view = viewOf(l.a, {
      on: (event, listener) => {
        listeners++;
        const off = l.a.on(event, listener);
        return () => {
          listeners--;
          off();
        };
      },
      sendBinary: (sid, index, data) => {
        sent++;
        return l.a.sendBinary(sid, index, data);
      },
    });
    for (let i = 0; i < 5; i++) a.engine.attach(view)();
    expect(listeners).toBe(0);
    const detach = a.engine.attach(view);
    b.engine.attach(l.b);
    const bytes = fileBytes(400_000, 4);
    const { id: x } = await offerFile(clock, a.engine, b.engine, sa.put.bind(sa), bytes, CHUNK);
    await drive(
      clock,
      recordWhere(b.engine, x, (r) => r.verified >= 10),
    );
    // A's queue is stuck on a save (an ack), so its transfers hear of the detach only later:
    // the pump itself must stop at once.
    sa.hold();
    await drive(
      clock,
      until(() => sa.heldCount > 0),
    );
    detach();
    expect(listeners).toBe(0);
    const atDetach = sent;
    await drive(clock, sleep(clock, 2_000));
    expect(sent).toBe(atDetach);
    sa.releaseAll();
    await drive(clock, sleep(clock, 100));
    expect(sent).toBe(atDetach);
    expect(l.a.state.name).toBe('connected');
    expect(a.errors).toEqual([]);
  });
});
