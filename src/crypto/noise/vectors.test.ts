import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runVectorFile, summaryLine } from './vector-runner.ts';

// The project root is three levels up; the shared material sits beside it.
const VECTORS = fileURLToPath(
  new URL('../../../../shared/vectors/noise-dev.json', import.meta.url),
);

function load(): { vectors: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Record<string, unknown>[] };
}

describe('Noise test vectors (shared/vectors/noise-dev.json)', () => {
  it('passes all 14 on every backend combination', async () => {
    const summary = await runVectorFile(load());
    expect(summary?.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(summary === undefined ? '' : summaryLine(summary)).toBe(
      '14 passed, 0 failed, 0 skipped',
    );
  });

  it('fails a vector with one wrong ciphertext byte and names the message', async () => {
    const file = load();
    const v = structuredClone(file.vectors[9]) as { messages: { ciphertext: string }[] };
    const m = v.messages[2];
    if (m === undefined) throw new Error('vector 9 has no message 2');
    m.ciphertext = `${m.ciphertext.slice(0, -2)}${m.ciphertext.endsWith('00') ? '01' : '00'}`;
    const summary = await runVectorFile({ vectors: [v] });
    expect(summary?.failed).toBe(1);
    expect(summary?.results[0]?.reason).toMatch(/message 2: ciphertext mismatch/);
  });

  it('fails a vector whose handshake_hash is wrong', async () => {
    const v = { ...load().vectors[8], handshake_hash: '00'.repeat(32) };
    const summary = await runVectorFile({ vectors: [v] });
    expect(summary?.results[0]?.status).toBe('failed');
    expect(summary?.results[0]?.reason).toMatch(/handshake_hash mismatch/);
  });

  it('skips unsupported suites, NoisePSK_ names and unknown fields, never passing them', async () => {
    const base = load().vectors[8] ?? {};
    const vectors = [
      { ...base, protocol_name: 'Noise_XX_448_AESGCM_SHA256' },
      { ...base, protocol_name: 'Noise_XX_25519_ChaChaPoly_BLAKE2s' },
      { ...base, protocol_name: 'Noise_XX_25519_ChaChaPoly_SHA512' },
      { ...base, protocol_name: 'NoisePSK_XX_25519_ChaChaPoly_SHA256' },
      { ...base, protocol_name: 'Noise_XXfallback_25519_ChaChaPoly_SHA256' },
      { ...base, init_semiephemeral: '00' },
    ];
    const summary = await runVectorFile({ vectors });
    expect(summary && summaryLine(summary)).toBe('0 passed, 0 failed, 6 skipped');
  });

  it('reads the older `name` and single `init_psk` fields', async () => {
    const { protocol_name, ...rest } = load().vectors[6] ?? {};
    const summary = await runVectorFile({ vectors: [{ ...rest, name: protocol_name }] });
    expect(summary?.passed).toBe(1);
  });

  it('reports malformed vectors as failed and non-vector files as undefined', async () => {
    const summary = await runVectorFile({
      vectors: [{ ...load().vectors[6], init_ephemeral: 'zz' }, 7],
    });
    expect(summary?.failed).toBe(2);
    expect(await runVectorFile([])).toBeUndefined();
    expect(await runVectorFile({ vectors: 'no' })).toBeUndefined();
  });
});
