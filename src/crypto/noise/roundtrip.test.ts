import { describe, expect, it } from 'vitest';
import { equalBytes } from '../bytes.ts';
import { ErrorCode } from '../errors.ts';
import { generateKeyPair } from './dh-noble.ts';
import { parseProtocolName } from './protocol.ts';
import {
  DEFERRED,
  FUNDAMENTAL,
  type HandshakeRun,
  ONE_WAY,
  randomKeys,
  runHandshake,
} from './test-support.ts';

const PSK_VARIANTS = [
  'NNpsk0',
  'NNpsk2',
  'Npsk0',
  'Kpsk0',
  'Xpsk1',
  'XXpsk0',
  'XXpsk2',
  'XXpsk3',
  'XXpsk0+psk1',
  'IKpsk2',
  'IKpsk1',
  'NKpsk0',
  'KKpsk0+psk2',
  'IXpsk2',
  'X1K1psk4',
  'NNpsk0+psk1+psk2',
];

async function checkTransport(run: HandshakeRun, oneWay: boolean): Promise<void> {
  expect(equalBytes(run.init.handshakeHash, run.resp.handshakeHash)).toBe(true);
  for (let i = 0; i < 3; i++) {
    const fwd = new Uint8Array([0xf0, i]);
    expect(await run.resp.recv.decrypt(await run.init.send.encrypt(fwd))).toEqual(fwd);
    if (oneWay) continue;
    const back = new Uint8Array([0x0b, i, 7]);
    expect(await run.init.recv.decrypt(await run.resp.send.encrypt(back))).toEqual(back);
  }
}

describe.each([
  ['one-way', ONE_WAY],
  ['fundamental', FUNDAMENTAL],
  ['deferred', DEFERRED],
  ['psk', PSK_VARIANTS],
])('%s patterns complete with random keys', (_kind, names) => {
  it.each(names)('%s', async (name) => {
    const protocol = `Noise_${name}_25519_AESGCM_SHA256`;
    const p = parseProtocolName(protocol)?.pattern;
    if (p === undefined) throw new Error(`unsupported ${protocol}`);
    const keys = randomKeys(p.pskCount);
    const run = await runHandshake(protocol, keys);
    expect(run.messages).toHaveLength(p.messages.length);
    run.payloads.forEach((pl, i) => {
      expect(pl).toEqual(new Uint8Array([i, i + 1, i + 2]));
    });
    await checkTransport(run, p.oneWay);
    // Whoever learns a static key learns the right one.
    const initLearns =
      p.responderPremessage.includes('s') ||
      p.messages.some((m) => m.direction === '<-' && m.tokens.includes('s'));
    expect(run.init.remoteStatic).toEqual(initLearns ? keys.respS.publicKey : undefined);
    const respLearns =
      p.initiatorPremessage.includes('s') ||
      p.messages.some((m) => m.direction === '->' && m.tokens.includes('s'));
    expect(run.resp.remoteStatic).toEqual(respLearns ? keys.initS.publicKey : undefined);
  });
});

describe('ChaChaPoly suite', () => {
  it.each(['NN', 'XX', 'IK', 'X', 'XXpsk3'])('%s', async (name) => {
    const protocol = `Noise_${name}_25519_ChaChaPoly_SHA256`;
    const p = parseProtocolName(protocol)?.pattern;
    const run = await runHandshake(protocol, randomKeys(p?.pskCount ?? 0));
    await checkTransport(run, p?.oneWay ?? false);
  });
});

describe('one-way patterns (§7.4)', () => {
  it('the responder cannot send and the initiator cannot receive', async () => {
    const run = await runHandshake('Noise_X_25519_AESGCM_SHA256', randomKeys(0));
    await expect(run.resp.send.encrypt(new Uint8Array(1))).rejects.toMatchObject({
      code: ErrorCode.UNEXPECTED_MESSAGE,
    });
    await expect(run.init.recv.decrypt(new Uint8Array(17))).rejects.toMatchObject({
      code: ErrorCode.UNEXPECTED_MESSAGE,
    });
  });
});

describe('backends agree byte for byte', () => {
  const fixed = (): ReturnType<typeof randomKeys> => ({
    ...randomKeys(1),
    initE: generateKeyPair(),
    respE: generateKeyPair(),
  });

  it.each([
    'Noise_XX_25519_AESGCM_SHA256',
    'Noise_IKpsk2_25519_AESGCM_SHA256',
    'Noise_KK_25519_ChaChaPoly_SHA256',
  ])(
    '%s: webcrypto and noble give identical messages and transport ciphertexts',
    async (protocol) => {
      const keys = fixed();
      const psks = (parseProtocolName(protocol)?.pattern.pskCount ?? 0) > 0 ? keys.psks : [];
      const k = { ...keys, psks };
      const web = { aes: 'webcrypto', dh: 'webcrypto' } as const;
      const noble = { aes: 'noble', dh: 'noble' } as const;
      const a = await runHandshake(protocol, k, { init: web, resp: web });
      const b = await runHandshake(protocol, k, { init: noble, resp: noble });
      expect(a.messages).toEqual(b.messages);
      expect(a.init.handshakeHash).toEqual(b.init.handshakeHash);
      const pt = new Uint8Array(1000).fill(0x5a);
      expect(await a.init.send.encrypt(pt)).toEqual(await b.init.send.encrypt(pt));
      expect(await a.resp.send.encrypt(pt)).toEqual(await b.resp.send.encrypt(pt));
    },
  );

  it('a webcrypto initiator and a noble responder interoperate', async () => {
    const run = await runHandshake('Noise_XX_25519_AESGCM_SHA256', randomKeys(0), {
      init: { aes: 'webcrypto', dh: 'webcrypto' },
      resp: { aes: 'noble', dh: 'noble' },
    });
    await checkTransport(run, false);
  });
});
