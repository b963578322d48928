// Known answers for the PSK rules (§9: psk tokens, and `e` also calling MixKey), which the shared
// vector file does not cover. Two vectors from cacophony's published set (vectors/cacophony.txt,
// Noise_NNpsk0 and Noise_XXpsk3 over 25519_ChaChaPoly_SHA256).

import { describe, expect, it } from 'vitest';
import { runVectorFile } from './vector-runner.ts';

const PROLOGUE = '4a6f686e2047616c74';
const PSK = '54686973206973206d7920417573747269616e20706572737065637469766521';
const INIT_E = '893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a';
const RESP_E = 'bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b';
const PAYLOADS = [
  '4c756477696720766f6e204d69736573',
  '4d757272617920526f746862617264',
  '462e20412e20486179656b',
  '4361726c204d656e676572',
  '4a65616e2d426170746973746520536179',
  '457567656e2042f6686d20766f6e2042617765726b',
];

function messages(ciphertexts: string[]): { payload: string; ciphertext: string }[] {
  return ciphertexts.map((ciphertext, i) => ({ payload: PAYLOADS[i] ?? '', ciphertext }));
}

const NN_PSK0 = {
  protocol_name: 'Noise_NNpsk0_25519_ChaChaPoly_SHA256',
  init_prologue: PROLOGUE,
  init_psks: [PSK],
  init_ephemeral: INIT_E,
  resp_prologue: PROLOGUE,
  resp_psks: [PSK],
  resp_ephemeral: RESP_E,
  handshake_hash: 'f4d03dc34495c95729ea6de9e1b59004b59733102488b3e24bc441e0be208eaf',
  messages: messages([
    'ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c794479b962b8aff8485742ac32f905ba45369e2465fb59e138a93d67a0d1266b6a54',
    '95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843d6062704d5a9c422a8e834423f8c1feada7e8d0d910a1a2cd030fb584221e3',
    'e632c3763d7669067383433197a3baddf146e9e70ad4b4e9e59e0f',
    '64c6bee32ea91c8474bb4c21d7a700109ad45af77b29764ba5eb1e',
    'e2fa0bed0603b62d3ccac2ecabbf3fe33f3e86514909b323361626266cb2471cc8',
    '0c01dc9cec1fe4ddd692e8dd32188aa351088dc91183639a53b57aa4692b5ebdef8b8ca111',
  ]),
};

const XX_PSK3 = {
  protocol_name: 'Noise_XXpsk3_25519_ChaChaPoly_SHA256',
  init_prologue: PROLOGUE,
  init_psks: [PSK],
  init_static: 'e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1',
  init_ephemeral: INIT_E,
  resp_prologue: PROLOGUE,
  resp_psks: [PSK],
  resp_static: '4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893',
  resp_ephemeral: RESP_E,
  handshake_hash: 'a477edf6a131bbdb54707f6ea30eab6cd935d9b560f0e5fd1f053a95a99669fb',
  messages: messages([
    'ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944c9f5ff0e8079630cb7e270c20bbf480821b77a384a645c71a2fd9b3db1c16a5f',
    '95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843b123def17f71e6ae8e57e0e1dec5949c5f7415c6f33517398747d821a06dc23ad430aa1fd7381d46195c378a819fd574425462cbb2d4ca339e738a0b7001dc91423fbf55a99af0c6f1df21012ceb2f',
    '52187316111b118d4c060364f7b975dc0809b2590779aff2d63113c564f11744493384db7bf32d5ae6686df6ab06d508d2e07caaf1d6afc010b978735fc78900e71ae1d314130d042e729a',
    'eaedc672d4c21e0e2955758756fb98f194c4e90d5deb5b6cf30b27',
    '522d543c5fe799d09a3d9da7ff54d0dc03c8af1dc7751d2ff708339d2290943e98',
    '7d4e2c3873eef6a213b04e72f9df60a91666072d3544c5d96c34a09e2329b5030bee796741',
  ]),
};

describe('PSK known answers (cacophony)', () => {
  it('NNpsk0 and XXpsk3 match byte for byte, including handshake_hash', async () => {
    const summary = await runVectorFile({ vectors: [NN_PSK0, XX_PSK3] });
    expect(summary?.results.map((r) => [r.name, r.status, r.reason])).toEqual([
      [NN_PSK0.protocol_name, 'passed', undefined],
      [XX_PSK3.protocol_name, 'passed', undefined],
    ]);
  });

  it('accepts the older single init_psk / resp_psk fields', async () => {
    const { init_psks, resp_psks, ...rest } = NN_PSK0;
    const old = { ...rest, init_psk: init_psks[0], resp_psk: resp_psks[0] };
    expect((await runVectorFile({ vectors: [old] }))?.passed).toBe(1);
  });

  it('a different PSK on one side fails the vector', async () => {
    const wrong = { ...XX_PSK3, resp_psks: [PSK.replace(/^54/, '55')] };
    const summary = await runVectorFile({ vectors: [wrong] });
    expect(summary?.results[0]?.reason).toMatch(/HANDSHAKE_FAILED/);
  });
});
