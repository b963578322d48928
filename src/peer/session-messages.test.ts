// Message-level errors (§5: reported, answered, survived) and MORE reassembly (§3.3).

import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/bytes.ts';
import { unpad } from '../crypto/padding.ts';
import { FrameFlag, FrameType } from './frame.ts';
import type { Message } from './message-types.ts';
import { parseMessageBytes } from './messages.ts';
import type { RawPeer } from './test-peer.ts';
import { connectPair, disconnected, nextEvent, rawConnected } from './test-support.ts';

const ID = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

async function nextMessage(raw: RawPeer): Promise<Message> {
  const { plaintext } = await raw.nextFrame();
  const r = parseMessageBytes(unpad(plaintext));
  if (r.kind !== 'valid') throw new Error(`session sent an invalid message: ${r.kind}`);
  return r.message;
}

const envelope = (type: string, payload: unknown, id = ID) =>
  utf8(JSON.stringify({ id, type, timestamp: 1, payload }));

describe('message-level errors keep the session up', () => {
  it.each([
    ['invalid JSON', utf8('{"id":')],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['not an object', utf8('[1,2]')],
    ['empty content', new Uint8Array(0)],
  ])('%s → error event 1000, error reply without ref', async (_n, content) => {
    const { raw, session } = await rawConnected();
    const err = nextEvent(session, 'error');
    await raw.sendContent(FrameType.MESSAGE, 0, content);
    expect((await err).code).toBe(1000);
    const reply = await nextMessage(raw);
    expect(reply.type).toBe('error');
    expect(reply.payload).toEqual({ code: 1000, detail: expect.any(String) });
    expect(session.state.name).toBe('connected');
    expect(session.stats.malformed).toBe(1);
  });

  it('a known type with a bad payload is answered with ref = its id', async () => {
    const { raw, session } = await rawConnected();
    await raw.sendContent(FrameType.MESSAGE, 0, envelope('receipt', { status: 'seen', ids: [] }));
    const reply = await nextMessage(raw);
    expect(reply).toMatchObject({ type: 'error', payload: { code: 1000, ref: ID } });
    expect(session.state.name).toBe('connected');
  });

  it('an unknown type is counted and ignored: no event, no reply', async () => {
    const { raw, session } = await rawConnected();
    const seen: Message[] = [];
    session.on('message', (m) => seen.push(m));
    await raw.sendContent(FrameType.MESSAGE, 0, envelope('sticker', { pack: 1 }));
    const second = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    await raw.sendContent(FrameType.MESSAGE, 0, envelope('typing', { typing: 'no' }, second));
    // The first frame the session sends back answers the second message: none answered the first.
    expect((await nextMessage(raw)).payload).toMatchObject({ ref: second });
    expect(session.stats.unknownTypes).toBe(1);
    expect(seen).toEqual([]);
  });

  it('a malformed `error` is reported locally but never answered (no error loops)', async () => {
    const { raw, session } = await rawConnected();
    const err = nextEvent(session, 'error');
    await raw.sendContent(FrameType.MESSAGE, 0, envelope('error', { code: 'x' }));
    expect((await err).code).toBe(1000);
    await raw.sendContent(FrameType.MESSAGE, 0, utf8('nope'));
    expect((await nextMessage(raw)).payload).not.toHaveProperty('ref');
    expect(session.stats.malformed).toBe(2);
  });

  it('bad padding (no 0x80 marker) → 1000, session stays up', async () => {
    const { raw, session } = await rawConnected();
    const err = nextEvent(session, 'error');
    await raw.sendPlaintext(FrameType.MESSAGE, 0, new Uint8Array(256));
    expect((await err).code).toBe(1000);
    expect((await nextMessage(raw)).type).toBe('error');
    const text = nextEvent(session, 'message');
    await raw.sendContent(FrameType.MESSAGE, 0, envelope('text', { text: 'still here' }));
    expect((await text).payload).toEqual({ text: 'still here' });
  });

  it('bad padding in the middle of a MORE message drops the whole message', async () => {
    const { raw, session } = await rawConnected();
    const full = envelope('text', { text: 'split' });
    await raw.sendContent(FrameType.MESSAGE, FrameFlag.MORE, full.subarray(0, 10));
    await raw.sendPlaintext(FrameType.MESSAGE, FrameFlag.MORE, new Uint8Array(256));
    const got = nextEvent(session, 'message');
    await raw.sendContent(FrameType.MESSAGE, 0, envelope('typing', { typing: true }));
    expect((await got).type).toBe('typing');
  });

  it('a BINARY frame under 20 bytes → 1000, session stays up', async () => {
    const { raw, session } = await rawConnected();
    const err = nextEvent(session, 'error');
    await raw.sendContent(FrameType.BINARY, 0, new Uint8Array(19));
    expect((await err).code).toBe(1000);
    expect(session.state.name).toBe('connected');
  });

  it('an unsolicited REHANDSHAKE with garbage closes with 1012', async () => {
    const { raw, session } = await rawConnected();
    await raw.sendContent(FrameType.REHANDSHAKE, 0, new Uint8Array(5));
    expect((await disconnected(session)).reason).toMatchObject({ code: 1012, by: 'local' });
  });
});

describe('MORE reassembly', () => {
  it('a 200 KB message (64 KiB of text escaped in JSON) round-trips in pieces', async () => {
    let frames = 0;
    const tap = (d: Uint8Array) => {
      frames++;
      return [d];
    };
    const { a, b } = await connectPair({ duplex: { tap } });
    // U+0001 is 1 UTF-8 byte but 6 bytes as a JSON escape: 34 000 of them make a ~204 KB envelope.
    const text = '\u0001'.repeat(34_000);
    const got = nextEvent(b, 'message', (m) => m.type === 'text');
    frames = 0;
    await a.send({ type: 'text', payload: { text } });
    const m = await got;
    expect(m.payload).toEqual({ text });
    expect(frames).toBe(4); // ceil(204 089 / 65 502)
  });

  it('honours a small max_frame of the peer: many small pieces', async () => {
    const sizes: number[] = [];
    const tap = (d: Uint8Array, from: string) => {
      if (from === 'a') sizes.push(d.length);
      return [d];
    };
    const { a, b } = await connectPair({
      b: { capabilities: { maxFrame: 1024 } },
      duplex: { tap },
    });
    const text = 'x'.repeat(10_000);
    const got = nextEvent(b, 'message', (m) => m.type === 'text');
    sizes.length = 0;
    await a.send({ type: 'text', payload: { text } });
    expect((await got).payload).toEqual({ text });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
    expect(sizes.length).toBe(11);
  });

  it('over 1 MiB of MORE pieces closes with 1008', async () => {
    const { raw, session } = await rawConnected();
    const piece = new Uint8Array(65_000).fill(0x20);
    for (let i = 0; i < 17; i++) await raw.sendContent(FrameType.MESSAGE, FrameFlag.MORE, piece);
    expect((await disconnected(session)).reason).toMatchObject({ code: 1008, by: 'local' });
  });

  it('the largest valid messages (escaped 64 KiB text, 256-id receipt) fit the 1 MiB limit', async () => {
    const { a, b } = await connectPair();
    const text = '\u0001'.repeat(65_536); // 393 KB once escaped
    const got = nextEvent(b, 'message', (m) => m.type === 'receipt');
    await a.send({ type: 'text', payload: { text } });
    const ids = Array.from({ length: 256 }, () => ID);
    await a.send({ type: 'receipt', payload: { status: 'read', ids } });
    expect((await got).payload).toEqual({ status: 'read', ids });
    expect(b.stats.malformed).toBe(0);
  });
});

describe('caller-chosen message ids (resends after a lost session)', () => {
  it('a given id travels as the envelope id', async () => {
    const { a, b } = await connectPair();
    const id = 'c'.repeat(32);
    const got = nextEvent(b, 'message', (m) => m.type === 'text');
    await expect(a.send({ type: 'text', payload: { text: 'again' } }, { id })).resolves.toBe(id);
    expect((await got).id).toBe(id);
  });
  it('an id that is not 32 lowercase hex is refused with 1000 and nothing is sent', async () => {
    const { a } = await connectPair();
    const sent = a.stats.framesSent;
    await expect(
      a.send({ type: 'text', payload: { text: 'x' } }, { id: 'C'.repeat(32) }),
    ).rejects.toMatchObject({ code: 1000 });
    expect(a.stats.framesSent).toBe(sent);
    expect(a.state.name).toBe('connected');
  });
});
