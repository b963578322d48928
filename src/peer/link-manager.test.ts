import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import type { ChatChannel, ChatEvent } from './chat-channel.ts';
import { encodeLinkSignal } from './link-signal.ts';
import { Hub, type Peer, routed, sortedIdentities, until } from './link-test-support.ts';

let hubs: Hub[] = [];
let peers: Peer[] = [];

function setup(n: number): { hub: Hub; ps: Peer[] } {
  const hub = new Hub();
  const ps = sortedIdentities(n).map((id) => hub.peer(id));
  hubs.push(hub);
  peers.push(...ps);
  return { hub, ps };
}

function befriend(a: Peer, b: Peer): void {
  a.manager.setContacts([{ key: b.key, blocked: false }]);
  b.manager.setContacts([{ key: a.key, blocked: false }]);
}

function nextText(channel: ChatChannel): Promise<ChatEvent> {
  return new Promise((resolve) => {
    const off = channel.on((e) => {
      if (e.kind !== 'text') return;
      off();
      resolve(e);
    });
  });
}

function live(p: Peer, contact: string): ChatChannel {
  const c = p.manager.channel(contact);
  if (!c) throw new Error('no channel');
  return c;
}

afterEach(() => {
  for (const p of peers) p.manager.stop();
  peers = [];
  hubs = [];
});

describe('LinkManager', () => {
  it('connects two online contacts with one session each; text flows both ways', async () => {
    const { hub, ps } = setup(2);
    const [low, high] = ps as [Peer, Peer];
    befriend(low, high);
    hub.goOnline(high);
    hub.goOnline(low);
    const [sl, sh] = await Promise.all([routed(low, high.key), routed(high, low.key)]);
    expect(sl).toEqual({
      kind: 'connected',
      conn: expect.stringMatching(/^[0-9a-f]{32}$/),
      route: { kind: 'direct', local: 'host', remote: 'host' },
    });
    expect(sh.kind === 'connected' && sl.kind === 'connected' && sh.conn === sl.conn).toBe(true);
    // The lower address offered: it made the only initiator transport on either side.
    expect(low.transports.map((t) => t.initiator)).toEqual([true]);
    expect(high.transports.map((t) => t.initiator)).toEqual([false]);
    const atHigh = nextText(live(high, low.key));
    const id = await live(low, high.key).sendText('hi **high**');
    expect(await atHigh).toMatchObject({ kind: 'text', id, text: 'hi **high**' });
    const atLow = nextText(live(low, high.key));
    await live(high, low.key).sendText('hi low', id);
    expect(await atLow).toMatchObject({ kind: 'text', text: 'hi low', replyTo: id });
  });

  it('offerer first: its offer is queued, it waits; the answerer knocks when it comes', async () => {
    const { hub, ps } = setup(2);
    const [low, high] = ps as [Peer, Peer];
    befriend(low, high);
    hub.goOnline(low);
    expect(await until(low, high.key, 'offline')).toEqual({ kind: 'offline' });
    expect(low.sent.map((s) => s.signal.kind)).toEqual(['offer']);
    hub.goOnline(high);
    await Promise.all([until(low, high.key, 'connected'), until(high, low.key, 'connected')]);
    // The stale queued offer was not answered; the knock led to a second, answered offer.
    expect(high.sent.filter((s) => s.signal.kind === 'answer')).toHaveLength(1);
    expect(high.sent[0]?.signal.kind).toBe('knock');
    expect(low.sent.filter((s) => s.signal.kind === 'offer')).toHaveLength(2);
  });

  it('answerer first: its knock waits in the queue and brings exactly one session', async () => {
    const { hub, ps } = setup(2);
    const [low, high] = ps as [Peer, Peer];
    befriend(low, high);
    hub.goOnline(high);
    await until(high, low.key, 'offline');
    hub.goOnline(low);
    await Promise.all([until(low, high.key, 'connected'), until(high, low.key, 'connected')]);
    expect(low.transports).toHaveLength(1);
    expect(high.transports).toHaveLength(1);
  });

  it('a dropped connection comes back after the backoff delay', async () => {
    const { hub, ps } = setup(2);
    const [low, high] = ps as [Peer, Peer];
    befriend(low, high);
    hub.goOnline(low);
    hub.goOnline(high);
    const [first] = await Promise.all([routed(low, high.key), routed(high, low.key)]);
    const retrying = Promise.all([
      until(low, high.key, 'retrying'),
      until(high, low.key, 'retrying'),
    ]);
    low.transports.at(-1)?.fail();
    const [rl] = await retrying;
    expect(rl).toMatchObject({ kind: 'retrying', failures: 1, code: ErrorCode.CONNECTION_LOST });
    // failure 1: 1 s × jitter factor (random 0.5 → 1.0).
    expect(rl.kind === 'retrying' && rl.retryAt - hub.clock.now()).toBe(1000);
    const back = Promise.all([
      until(low, high.key, 'connected'),
      until(high, low.key, 'connected'),
    ]);
    hub.clock.advance(1000);
    const [again] = await back;
    expect(
      again.kind === 'connected' && first.kind === 'connected' && again.conn !== first.conn,
    ).toBe(true);
  });

  it('a handshake with another key than the contact’s is refused, sticky, and sends nothing', async () => {
    const { hub, ps } = setup(3);
    const [alice, bob, mallory] = ps as [Peer, Peer, Peer];
    // Alice (lowest) offers to Bob; the hostile hub hands her signals to Mallory and passes
    // Mallory's replies off as Bob's. Nothing here is sealed: the handshake alone must catch it.
    alice.manager.setContacts([{ key: bob.key, blocked: false }]);
    mallory.manager.setContacts([{ key: alice.key, blocked: false }]);
    hub.route = (from, to) => {
      if (from === alice.key && to === bob.key) return { from, to: mallory.key };
      if (from === mallory.key && to === alice.key) return { from: bob.key, to };
      return { from, to };
    };
    let channels = 0;
    alice.manager.on('channel', (e) => {
      if (e.channel) channels++;
    });
    hub.goOnline(mallory);
    hub.goOnline(alice);
    const refused = await until(alice, bob.key, 'insecure');
    expect(refused).toMatchObject({ kind: 'insecure', code: ErrorCode.IDENTITY_MISMATCH });
    expect(channels).toBe(0);
    expect(alice.manager.channel(bob.key)).toBeUndefined();
    // No automatic retry, however long we wait, and waking does not reopen it either.
    const offers = alice.sent.filter((s) => s.signal.kind === 'offer').length;
    hub.clock.advance(10 * 60_000);
    alice.manager.wakeAll();
    expect(alice.manager.state(bob.key).kind).toBe('insecure');
    expect(alice.sent.filter((s) => s.signal.kind === 'offer')).toHaveLength(offers);
  });

  it('ignores strangers and blocked contacts without answering them', async () => {
    const { hub, ps } = setup(3);
    const [a, b, stranger] = ps as [Peer, Peer, Peer];
    a.manager.setContacts([{ key: b.key, blocked: true }]);
    b.manager.setContacts([{ key: a.key, blocked: false }]);
    stranger.manager.setContacts([{ key: a.key, blocked: false }]);
    hub.goOnline(a);
    hub.goOnline(b);
    hub.goOnline(stranger);
    // b and the stranger are the answerers (higher keys): they knock and get no offer.
    await until(b, a.key, 'connecting');
    await until(stranger, a.key, 'connecting');
    expect(a.sent).toEqual([]);
    expect(a.manager.state(b.key)).toEqual({ kind: 'blocked' });
    expect(a.manager.state(stranger.key)).toEqual({ kind: 'idle' });
    const timedOut = until(b, a.key, 'retrying');
    hub.clock.advance(20_000);
    expect(await timedOut).toMatchObject({ code: ErrorCode.NETWORK_TIMEOUT });
    expect(a.sent).toEqual([]);
    // Unblocking connects.
    a.manager.setContacts([{ key: b.key, blocked: false }]);
    await until(a, b.key, 'connected');
  });

  it('a signal signed by another key than its sender address makes the link insecure', async () => {
    const { hub, ps } = setup(2);
    const [a, b] = ps as [Peer, Peer];
    befriend(a, b);
    a.manager.handleRejected(b.key, new PeerlineError(ErrorCode.IDENTITY_MISMATCH, 'x'));
    expect(a.manager.state(b.key)).toMatchObject({ kind: 'insecure', code: 1011 });
    // Other rejections (stale, replayed, tampered) are noise, not an identity problem.
    b.manager.handleRejected(a.key, new PeerlineError(ErrorCode.OUT_OF_SEQUENCE, 'replay'));
    expect(b.manager.state(a.key)).toEqual({ kind: 'idle' });
    hub.goOnline(a);
    hub.goOnline(b);
    expect(a.manager.state(b.key).kind).toBe('insecure');
    a.manager.retry(b.key);
    await until(a, b.key, 'connected');
  });

  it('drops malformed signals and signals of an older attempt', async () => {
    const { hub, ps } = setup(2);
    const [low, high] = ps as [Peer, Peer];
    befriend(low, high);
    hub.goOnline(low);
    hub.goOnline(high);
    const s = await routed(low, high.key);
    const made = low.transports.length;
    low.manager.handleSignal(high.key, new TextEncoder().encode('{"v":1,"kind":"x"}'), false);
    low.manager.handleSignal(
      high.key,
      encodeLinkSignal({ kind: 'answer', conn: 'ab'.repeat(16), sdp: 'pair-0' }),
      false,
    );
    expect(low.manager.state(high.key)).toBe(s);
    expect(low.transports).toHaveLength(made);
  });

  it('waits for signaling, and stops trying when it goes away', async () => {
    const { hub, ps } = setup(2);
    const [low, high] = ps as [Peer, Peer];
    befriend(low, high);
    low.manager.wakeAll();
    expect(low.sent).toEqual([]);
    hub.goOnline(low);
    await until(low, high.key, 'offline');
    hub.goOffline(low);
    expect(low.manager.state(high.key)).toEqual({ kind: 'idle' });
  });
});

describe('LinkManager, contacts added one after the other', () => {
  it('the answerer adding the offerer later brings an immediate offer, no timeout', async () => {
    const { hub, ps } = setup(2);
    const [low, high] = ps as [Peer, Peer];
    hub.goOnline(low);
    hub.goOnline(high);
    // low adds high first: its offer reaches someone who does not know it yet and is ignored.
    low.manager.setContacts([{ key: high.key, blocked: false }]);
    await until(low, high.key, 'connecting');
    await Promise.resolve();
    expect(high.sent).toEqual([]);
    // high adds low: its knock makes low offer again at once (the clock never moves).
    high.manager.setContacts([{ key: low.key, blocked: false }]);
    await Promise.all([until(low, high.key, 'connected'), until(high, low.key, 'connected')]);
    expect(low.sent.filter((s) => s.signal.kind === 'offer')).toHaveLength(2);
  });
});
