import { describe, expect, it } from 'vitest';
import { ErrorCode, isPeerlineError } from '../errors.ts';
import { generateKeyPair } from './dh-noble.ts';
import { HandshakeState } from './handshake-state.ts';
import { parseProtocolName } from './protocol.ts';
import { type PairKeys, randomKeys, sideOptions } from './test-support.ts';

async function sides(protocol: string, keys: PairKeys): Promise<[HandshakeState, HandshakeState]> {
  return [
    await HandshakeState.create(sideOptions(protocol, true, keys)),
    await HandshakeState.create(sideOptions(protocol, false, keys)),
  ];
}

/**
 * Runs the handshake, flipping one bit of message `target` at byte `pos`. Returns the error code
 * of the first read that fails, or undefined if the handshake completed anyway.
 */
async function flipRun(
  protocol: string,
  keys: PairKeys,
  target: number,
  pos: number,
): Promise<number | undefined> {
  const [init, resp] = await sides(protocol, keys);
  for (let i = 0; !init.isFinished || !resp.isFinished; i++) {
    const [w, r] = init.status === 'write' ? [init, resp] : [resp, init];
    const msg = await w.writeMessage(new Uint8Array([1, 2, 3, 4]));
    // Bit (pos % 7): never the top bit of a key byte, which would be INVALID_KEY instead.
    if (i === target) msg[pos] = (msg[pos] ?? 0) ^ (1 << (pos % 7));
    try {
      await r.readMessage(msg);
    } catch (e) {
      expect(r.status).toBe('failed');
      await expect(r.readMessage(msg)).rejects.toMatchObject({ code: ErrorCode.HANDSHAKE_FAILED });
      return isPeerlineError(e) ? e.code : -1;
    }
  }
  return undefined;
}

describe('tampered handshake messages', () => {
  it.each([
    'Noise_XX_25519_AESGCM_SHA256',
    'Noise_IK_25519_ChaChaPoly_SHA256',
    'Noise_NNpsk0_25519_AESGCM_SHA256',
    'Noise_N_25519_AESGCM_SHA256',
  ])('%s: a flipped bit anywhere in any message fails with HANDSHAKE_FAILED', async (protocol) => {
    const p = parseProtocolName(protocol)?.pattern;
    const keys = randomKeys(p?.pskCount ?? 0);
    const [init, resp] = await sides(protocol, keys);
    const lengths: number[] = [];
    while (!init.isFinished) {
      const [w, r] = init.status === 'write' ? [init, resp] : [resp, init];
      const m = await w.writeMessage(new Uint8Array([1, 2, 3, 4]));
      lengths.push(m.length);
      await r.readMessage(m);
    }
    for (const [target, len] of lengths.entries()) {
      for (let pos = 0; pos < len; pos++) {
        expect([target, pos, await flipRun(protocol, keys, target, pos)]).toEqual([
          target,
          pos,
          ErrorCode.HANDSHAKE_FAILED,
        ]);
      }
    }
  });

  it('a truncated message fails with HANDSHAKE_FAILED', async () => {
    const [init, resp] = await sides('Noise_XX_25519_AESGCM_SHA256', randomKeys(0));
    await resp.readMessage(await init.writeMessage());
    const m2 = await resp.writeMessage();
    await expect(init.readMessage(m2.subarray(0, 40))).rejects.toMatchObject({
      code: ErrorCode.HANDSHAKE_FAILED,
    });
  });

  it('a wrong PSK fails the handshake', async () => {
    for (const name of ['NNpsk0', 'XXpsk3', 'IKpsk2']) {
      const protocol = `Noise_${name}_25519_AESGCM_SHA256`;
      const keys = randomKeys(1);
      const init = await HandshakeState.create(sideOptions(protocol, true, keys));
      const resp = await HandshakeState.create(
        sideOptions(protocol, false, { ...keys, psks: randomKeys(1).psks }),
      );
      let failure: unknown;
      try {
        while (!init.isFinished) {
          const [w, r] = init.status === 'write' ? [init, resp] : [resp, init];
          await r.readMessage(await w.writeMessage());
        }
      } catch (e) {
        failure = e;
      }
      expect([name, isPeerlineError(failure) && failure.code]).toEqual([
        name,
        ErrorCode.HANDSHAKE_FAILED,
      ]);
    }
  });
});

describe('handshake state machine', () => {
  it('refuses out-of-turn calls with UNEXPECTED_MESSAGE and stays usable', async () => {
    const [init, resp] = await sides('Noise_XX_25519_AESGCM_SHA256', randomKeys(0));
    expect([init.status, resp.status]).toEqual(['write', 'read']);
    await expect(resp.writeMessage()).rejects.toMatchObject({ code: ErrorCode.UNEXPECTED_MESSAGE });
    await expect(init.readMessage(new Uint8Array(32))).rejects.toMatchObject({
      code: ErrorCode.UNEXPECTED_MESSAGE,
    });
    expect(() => init.intoTransport()).toThrow(
      expect.objectContaining({ code: ErrorCode.UNEXPECTED_MESSAGE }),
    );
    const m1 = init.writeMessage();
    await expect(init.writeMessage()).rejects.toMatchObject({ code: ErrorCode.UNEXPECTED_MESSAGE });
    await resp.readMessage(await m1);
    await init.readMessage(await resp.writeMessage());
    await resp.readMessage(await init.writeMessage());
    expect([init.status, resp.status, init.isFinished]).toEqual(['finished', 'finished', true]);
    await expect(init.writeMessage()).rejects.toMatchObject({ code: ErrorCode.UNEXPECTED_MESSAGE });
    const t = init.intoTransport();
    expect(t.handshakeHash).toEqual(init.handshakeHash);
    expect(() => init.intoTransport()).toThrow(
      expect.objectContaining({ code: ErrorCode.UNEXPECTED_MESSAGE }),
    );
  });

  it('an oversize payload throws FRAME_TOO_LARGE without spoiling the handshake', async () => {
    const [init, resp] = await sides('Noise_XX_25519_AESGCM_SHA256', randomKeys(0));
    await expect(init.writeMessage(new Uint8Array(65535 - 31))).rejects.toMatchObject({
      code: ErrorCode.FRAME_TOO_LARGE,
    });
    const m1 = await init.writeMessage(new Uint8Array(65535 - 32));
    expect(m1.length).toBe(65535);
    await resp.readMessage(m1);
    // Message 2 carries e, encrypted s and an encrypted payload: 32 + 48 + 16 bytes of overhead.
    await expect(resp.writeMessage(new Uint8Array(65535 - 95))).rejects.toMatchObject({
      code: ErrorCode.FRAME_TOO_LARGE,
    });
    expect((await resp.writeMessage(new Uint8Array(65535 - 96))).length).toBe(65535);
    await expect(init.readMessage(new Uint8Array(65536))).rejects.toMatchObject({
      code: ErrorCode.FRAME_TOO_LARGE,
    });
  });

  it('checks the keys a pattern needs', async () => {
    const s = generateKeyPair();
    const rs = generateKeyPair().publicKey;
    const cases: [string, Parameters<typeof HandshakeState.create>[0], number][] = [
      [
        'XX initiator without s',
        { protocol: 'Noise_XX_25519_AESGCM_SHA256', initiator: true },
        ErrorCode.INVALID_KEY,
      ],
      [
        'IK initiator without rs',
        { protocol: 'Noise_IK_25519_AESGCM_SHA256', initiator: true, s },
        ErrorCode.INVALID_KEY,
      ],
      [
        'IK responder without s',
        { protocol: 'Noise_IK_25519_AESGCM_SHA256', initiator: false },
        ErrorCode.INVALID_KEY,
      ],
      [
        'XX initiator given rs',
        { protocol: 'Noise_XX_25519_AESGCM_SHA256', initiator: true, s, rs },
        ErrorCode.INVALID_KEY,
      ],
      [
        'NN given re',
        { protocol: 'Noise_NN_25519_AESGCM_SHA256', initiator: true, re: rs },
        ErrorCode.INVALID_KEY,
      ],
      [
        'psk missing',
        { protocol: 'Noise_NNpsk0_25519_AESGCM_SHA256', initiator: true },
        ErrorCode.INVALID_KEY,
      ],
      [
        'psk not wanted',
        { protocol: 'Noise_NN_25519_AESGCM_SHA256', initiator: true, psks: [new Uint8Array(32)] },
        ErrorCode.INVALID_KEY,
      ],
      [
        'short psk',
        {
          protocol: 'Noise_NNpsk0_25519_AESGCM_SHA256',
          initiator: true,
          psks: [new Uint8Array(16)],
        },
        ErrorCode.INVALID_KEY,
      ],
      [
        'short s',
        {
          protocol: 'Noise_XX_25519_AESGCM_SHA256',
          initiator: true,
          s: { ...s, secretKey: new Uint8Array(31) },
        },
        ErrorCode.INVALID_KEY,
      ],
      [
        '448',
        { protocol: 'Noise_XX_448_AESGCM_SHA256', initiator: true, s },
        ErrorCode.VERSION_UNSUPPORTED,
      ],
    ];
    for (const [what, opts, code] of cases) {
      let got: unknown;
      await HandshakeState.create(opts).catch((e: unknown) => {
        got = e;
      });
      expect([what, isPeerlineError(got) ? got.code : got]).toEqual([what, code]);
    }
  });

  it('exposes remoteStatic as soon as it is received and the hash as it evolves', async () => {
    const keys = randomKeys(0);
    const [init, resp] = await sides('Noise_XX_25519_AESGCM_SHA256', keys);
    const h0 = init.handshakeHash;
    await resp.readMessage(await init.writeMessage());
    expect(init.handshakeHash).not.toEqual(h0);
    expect(init.handshakeHash).toEqual(resp.handshakeHash);
    expect(init.remoteStatic).toBeUndefined();
    await init.readMessage(await resp.writeMessage());
    expect(init.remoteStatic).toEqual(keys.respS.publicKey);
  });
});
