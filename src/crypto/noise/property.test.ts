import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandshakeState } from './handshake-state.ts';
import { randomKeys, sideOptions } from './test-support.ts';

const payload = fc.uint8Array({ maxLength: 300 });
const direction = fc.boolean();

describe('XX handshake + transport (property)', () => {
  it('round-trips any payload sequence exactly, in both directions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('Noise_XX_25519_AESGCM_SHA256', 'Noise_XX_25519_ChaChaPoly_SHA256'),
        fc.array(payload, { minLength: 3, maxLength: 3 }),
        fc.array(fc.tuple(direction, payload), { maxLength: 20 }),
        async (protocol, handshakePayloads, transport) => {
          const keys = randomKeys(0);
          const init = await HandshakeState.create(sideOptions(protocol, true, keys));
          const resp = await HandshakeState.create(sideOptions(protocol, false, keys));
          for (const p of handshakePayloads) {
            const [w, r] = init.status === 'write' ? [init, resp] : [resp, init];
            expect(await r.readMessage(await w.writeMessage(p))).toEqual(p);
          }
          const a = init.intoTransport();
          const b = resp.intoTransport();
          expect(a.handshakeHash).toEqual(b.handshakeHash);
          for (const [forward, p] of transport) {
            const [tx, rx] = forward ? [a.send, b.recv] : [b.send, a.recv];
            const seq = tx.nonce;
            const ct = await tx.encrypt(p);
            expect(ct.length).toBe(p.length + 16);
            expect(rx.nonce).toBe(seq);
            expect(await rx.decrypt(ct)).toEqual(p);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
