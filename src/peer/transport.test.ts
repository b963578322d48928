import { describe, expect, it } from 'vitest';
import { utf8 } from '../crypto/bytes.ts';
import { MAX_NONCE } from '../crypto/noise/index.ts';
import { unpad } from '../crypto/padding.ts';
import { FrameFlag, FrameType, parseFrame } from './frame.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { noiseTransports } from './test-support.ts';
import { bytesContent, Transport } from './transport.ts';

const CAP = 65_503;

async function pair(limits = DEFAULT_LIMITS, now = () => 0) {
  const { i, r } = await noiseTransports();
  return {
    a: new Transport(i.send, i.recv, 1, limits, now),
    b: new Transport(r.send, r.recv, 1, limits, now),
  };
}

async function deliver(to: Transport, bytes: Uint8Array) {
  const f = parseFrame(bytes, 1);
  expect(f.header.seq).toBe(to.expectedSeq(f));
  return to.open(f);
}

async function rejectCode(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    return (e as { code: number }).code;
  }
  throw new Error('expected a rejection');
}

describe('Transport', () => {
  it('seals frames whose seq is the Noise nonce and whose body authenticates the header', async () => {
    const { a, b } = await pair();
    for (let n = 0; n < 3; n++) {
      const sealed = await a.seal(FrameType.MESSAGE, 0, utf8(`m${n}`), CAP);
      const f = parseFrame(sealed.bytes, 1);
      expect(f.header.seq).toBe(BigInt(n));
      expect(f.body.length).toBe(256 + 16);
      expect(unpad((await deliver(b, sealed.bytes)).plaintext)).toEqual(utf8(`m${n}`));
    }
  });

  it('a tampered frame is rejected with 1003 and the receive nonce does not move', async () => {
    const { a, b } = await pair();
    const sealed = await a.seal(FrameType.MESSAGE, 0, utf8('x'), CAP);
    // The MORE flag (header, authenticated as AD), a ciphertext byte, a tag byte.
    for (const [pos, bit] of [
      [2, FrameFlag.MORE],
      [16, 1],
      [100, 0x80],
      [sealed.bytes.length - 1, 1],
    ] as const) {
      const bad = sealed.bytes.slice();
      bad[pos] = (bad[pos] ?? 0) ^ bit;
      const f = parseFrame(bad, 1);
      expect(f.header.seq).toBe(b.expectedSeq(f));
      expect(await rejectCode(b.open(f))).toBe(1003);
      expect(b.expectedSeq(parseFrame(sealed.bytes, 1))).toBe(0n);
    }
    expect(unpad((await deliver(b, sealed.bytes)).plaintext)).toEqual(utf8('x'));
    expect(b.expectedSeq(parseFrame(sealed.bytes, 1))).toBe(1n);
  });

  it('rekeys after rekeyMessages frames, flags the frame, and the receiver follows', async () => {
    const { a, b } = await pair({ ...DEFAULT_LIMITS, rekeyMessages: 3 });
    const flags: number[] = [];
    for (let n = 0; n < 10; n++) {
      const sealed = await a.seal(FrameType.MESSAGE, 0, utf8(String(n)), CAP);
      flags.push(parseFrame(sealed.bytes, 1).header.flags);
      const opened = await deliver(b, sealed.bytes);
      expect(opened.rekeyed).toBe((flags[n] ?? 0) === FrameFlag.REKEYED);
      expect(unpad(opened.plaintext)).toEqual(utf8(String(n)));
    }
    expect(flags).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
  });

  it('rekeys on bytes and on time too', async () => {
    let now = 0;
    const { a } = await pair({ ...DEFAULT_LIMITS, rekeyBytes: 600, rekeyMs: 1000 }, () => now);
    const f = async () =>
      parseFrame((await a.seal(FrameType.MESSAGE, 0, utf8('x'), CAP)).bytes, 1).header.flags;
    expect([await f(), await f(), await f(), await f()]).toEqual([0, 0, 0, 1]); // 3 × 256 ≥ 600
    now = 999;
    expect(await f()).toBe(0);
    now = 1000;
    expect(await f()).toBe(1);
  });

  it('a REKEYED flag on a frame that was not rekeyed (or the reverse) fails with 1003, state unchanged', async () => {
    const { a, b } = await pair({ ...DEFAULT_LIMITS, rekeyMessages: 1 });
    const plain = await a.seal(FrameType.MESSAGE, 0, utf8('0'), CAP);
    const rekeyed = await a.seal(FrameType.MESSAGE, 0, utf8('1'), CAP);
    expect(parseFrame(rekeyed.bytes, 1).header.flags).toBe(FrameFlag.REKEYED);
    const forged = plain.bytes.slice();
    forged[2] = FrameFlag.REKEYED;
    expect(await rejectCode(b.open(parseFrame(forged, 1)))).toBe(1003);
    await deliver(b, plain.bytes);
    const stripped = rekeyed.bytes.slice();
    stripped[2] = 0;
    expect(await rejectCode(b.open(parseFrame(stripped, 1)))).toBe(1003);
    expect(unpad((await deliver(b, rekeyed.bytes)).plaintext)).toEqual(utf8('1'));
  });

  it('a rekey request makes the next frame REKEYED', async () => {
    const { a } = await pair();
    a.askRekey();
    const s = await a.seal(FrameType.MESSAGE, 0, utf8('x'), CAP);
    expect(s.rekeyed).toBe(true);
    expect((await a.seal(FrameType.MESSAGE, 0, utf8('x'), CAP)).rekeyed).toBe(false);
  });

  it('refuses the reserved nonce with 1014 before touching any state', async () => {
    const { a } = await pair();
    a.sendCipher.setNonce(MAX_NONCE);
    expect(await rejectCode(a.seal(FrameType.MESSAGE, 0, utf8('x'), CAP))).toBe(1014);
    expect(a.sendCipher.nonce).toBe(MAX_NONCE);
  });

  it('NEW_KEYS: switches keys at the flagged frame, seq restarts at 0, old keys are wiped', async () => {
    const { a, b } = await pair();
    const next = await noiseTransports();
    await deliver(b, (await a.seal(FrameType.MESSAGE, 0, utf8('old'), CAP)).bytes);
    const oldSend = a.sendCipher;
    b.installRecv(next.r.recv);
    a.installSend(next.i.send);
    expect(await rejectCode(oldSend.encryptWithAd(new Uint8Array(0), utf8('x')))).toBe(1015);
    const sealed = await a.seal(FrameType.MESSAGE, 0, utf8('new'), CAP);
    const f = parseFrame(sealed.bytes, 1);
    expect(f.header.flags).toBe(FrameFlag.NEW_KEYS);
    expect(f.header.seq).toBe(0n);
    const opened = await deliver(b, sealed.bytes);
    expect(opened.switched).toBe(true);
    expect(unpad(opened.plaintext)).toEqual(utf8('new'));
    // A second NEW_KEYS frame has nothing to switch to.
    expect(() => b.expectedSeq(f)).toThrow(expect.objectContaining({ code: 1015 }));
  });

  it('sealReusing gives the bytes seal() gives for the same key, content and nonce', async () => {
    const { i } = await noiseTransports();
    const a = new Transport(i.send, i.recv, 1, DEFAULT_LIMITS, () => 0);
    const a2 = new Transport(i.send.clone(), i.recv.clone(), 1, DEFAULT_LIMITS, () => 0);
    for (const n of [0, 300, 4000, 5000, 65_502]) {
      const content = Uint8Array.from({ length: n }, (_, k) => (k * 7 + n) & 0xff);
      const fresh = await a.seal(FrameType.BINARY, 0, content, CAP);
      const reused = await a2.sealReusing(FrameType.BINARY, 0, bytesContent(content), CAP);
      expect(reused.bytes).toEqual(fresh.bytes);
    }
  });

  it('large frames share one buffer; a smaller frame after a bigger one is still padded with zeros', async () => {
    const { a, b } = await pair();
    const big = new Uint8Array(60_000).fill(0xff);
    const first = await a.sealReusing(FrameType.BINARY, 0, bytesContent(big), CAP);
    const firstCopy = first.bytes.slice();
    const small = Uint8Array.of(1, 2, 3, 4, 5).map((x) => x + 0xf0);
    const second = await a.sealReusing(
      FrameType.BINARY,
      0,
      { length: 5000, write: (dst) => dst.fill(0xf5, 0, 5000).set(small) },
      CAP,
    );
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(unpad((await deliver(b, firstCopy)).plaintext)).toEqual(big);
    const opened = await deliver(b, second.bytes.slice());
    // paddedLength(5000) = 5120: content, the 0x80 marker, then only zeros (no 0xff left over).
    expect(opened.plaintext).toHaveLength(5120);
    expect([...opened.plaintext.subarray(0, 6)]).toEqual([0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf5]);
    expect(opened.plaintext[5000]).toBe(0x80);
    expect(opened.plaintext.subarray(5001).every((x) => x === 0)).toBe(true);
  });

  it('small frames from sealReusing are fresh buffers the caller may keep', async () => {
    const { a, b } = await pair();
    const s1 = await a.sealReusing(FrameType.MESSAGE, 0, bytesContent(utf8('one')), CAP);
    const s2 = await a.sealReusing(FrameType.MESSAGE, 0, bytesContent(utf8('two')), CAP);
    expect(s1.bytes.buffer).not.toBe(s2.bytes.buffer);
    expect(unpad((await deliver(b, s1.bytes)).plaintext)).toEqual(utf8('one'));
    expect(unpad((await deliver(b, s2.bytes)).plaintext)).toEqual(utf8('two'));
  });

  it('content too large for the capacity is 1008 before any state moves', async () => {
    const { a } = await pair();
    const tooBig = { length: 300, write: () => undefined };
    expect(await rejectCode(a.sealReusing(FrameType.BINARY, 0, tooBig, 300))).toBe(1008);
    expect(a.sendCipher.nonce).toBe(0n);
  });
});
