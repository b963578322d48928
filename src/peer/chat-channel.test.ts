import { afterEach, describe, expect, it } from 'vitest';
import { ChatChannel, type ChatEvent, MAX_RECEIPT_IDS, TYPING_TTL_MS } from './chat-channel.ts';
import { newMessageId } from './ids.ts';
import type { PeerSession } from './session.ts';
import { connectPair } from './test-support.ts';

let sessions: PeerSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  sessions = [];
});

async function channels() {
  const { a, b } = await connectPair();
  sessions.push(a, b);
  const now = () => 1_000;
  const got: ChatEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  new ChatChannel(b, now).on((e) => {
    got.push(e);
    for (const w of waiters) if (got.length >= w.n) w.resolve();
  });
  /** Resolves once `n` events have arrived. */
  const settle = (n: number) => new Promise<void>((resolve) => waiters.push({ n, resolve }));
  return { a: new ChatChannel(a, now), got, settle };
}

describe('ChatChannel', () => {
  it('carries text, typing, presence and receipts as typed events', async () => {
    const { a, got, settle } = await channels();
    const id = await a.sendText('hello', newMessageId());
    await a.sendTyping(true);
    await a.sendPresence({ status: 'busy', text: 'in a meeting' });
    await a.sendPresence({ status: 'away', text: '', lastSeen: 5 });
    await a.sendReceipt('read', [id]);
    await settle(5);
    expect(got[0]).toMatchObject({ kind: 'text', id, text: 'hello', replyTo: expect.any(String) });
    expect(got[1]).toEqual({ kind: 'typing', typing: true, expiresAt: 1_000 + TYPING_TTL_MS });
    expect(got[2]).toEqual({
      kind: 'presence',
      presence: { status: 'busy', text: 'in a meeting' },
    });
    expect(got[3]).toEqual({ kind: 'presence', presence: { status: 'away', lastSeen: 5 } });
    expect(got[4]).toEqual({ kind: 'receipt', status: 'read', ids: [id] });
  });

  it('splits receipts into messages of at most 256 ids', async () => {
    const { a, got, settle } = await channels();
    const ids = Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => newMessageId());
    await a.sendReceipt('delivered', ids);
    await settle(2);
    expect(got.map((e) => (e.kind === 'receipt' ? e.ids.length : -1))).toEqual([256, 1]);
    expect(got.flatMap((e) => (e.kind === 'receipt' ? e.ids : []))).toEqual(ids);
  });
});
