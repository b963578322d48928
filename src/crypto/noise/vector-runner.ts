// Runs community Noise test vectors against the interpreter, on every backend combination.
// Shared by scripts/noise-vectors.ts (CLI) and vectors.test.ts, so both check the same thing.

import { equalBytes } from '../bytes.ts';
import { errorCodeName, isPeerlineError } from '../errors.ts';
import type { AesBackend, DhBackend } from './backend.ts';
import type { KeyPair } from './dh.ts';
import { publicKeyOf } from './dh-noble.ts';
import type { HandshakeOptions } from './handshake-options.ts';
import { HandshakeState } from './handshake-state.ts';
import { checkVector, type NoiseVector, type VectorSide, vectorList } from './vector-format.ts';

export type VectorStatus = 'passed' | 'failed' | 'skipped';

export interface VectorResult {
  readonly index: number;
  readonly name: string;
  readonly status: VectorStatus;
  /** Why it failed or was skipped. Never contains key material. */
  readonly reason?: string;
}

export interface VectorSummary {
  readonly results: readonly VectorResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

interface Backends {
  readonly aes: AesBackend;
  readonly dh: DhBackend;
}

const DH_BACKENDS: readonly DhBackend[] = ['webcrypto', 'noble'];

/** Every combination a vector must pass; the AES backend only matters for AESGCM. */
function backendsFor(v: NoiseVector): Backends[] {
  const aes: readonly AesBackend[] =
    v.protocol.cipher === 'AESGCM' ? ['webcrypto', 'noble'] : ['noble'];
  return aes.flatMap((a) => DH_BACKENDS.map((dh) => ({ aes: a, dh })));
}

function keyPair(secret: Uint8Array | undefined): KeyPair | undefined {
  return secret === undefined ? undefined : { secretKey: secret, publicKey: publicKeyOf(secret) };
}

function options(
  v: NoiseVector,
  side: VectorSide,
  initiator: boolean,
  backend: Backends,
): HandshakeOptions {
  const s = keyPair(side.static);
  const e = keyPair(side.ephemeral);
  return {
    protocol: v.protocol,
    initiator,
    prologue: side.prologue,
    psks: side.psks,
    backend,
    ...(s === undefined ? {} : { s }),
    ...(e === undefined ? {} : { e }),
    ...(side.remoteStatic === undefined ? {} : { rs: side.remoteStatic }),
    ...(side.remoteEphemeral === undefined ? {} : { re: side.remoteEphemeral }),
  };
}

function explain(err: unknown): string {
  if (isPeerlineError(err)) return `${errorCodeName(err.code) ?? err.code}: ${err.detail}`;
  return err instanceof Error ? `${err.name}` : 'non-error thrown';
}

/** Runs one vector on one backend combination; returns a failure reason or undefined. */
async function runOnce(v: NoiseVector, backend: Backends): Promise<string | undefined> {
  let step = 'setup';
  try {
    const init = await HandshakeState.create(options(v, v.init, true, backend));
    const resp = await HandshakeState.create(options(v, v.resp, false, backend));
    const pattern = v.protocol.pattern;
    let i = 0;
    for (; i < pattern.messages.length; i++) {
      const m = v.messages[i];
      if (m === undefined) return 'vector ends before the handshake does';
      step = `message ${i}`;
      const [writer, reader] =
        pattern.messages[i]?.direction === '->' ? [init, resp] : [resp, init];
      const ct = await writer.writeMessage(m.payload);
      if (!equalBytes(ct, m.ciphertext)) return `${step}: ciphertext mismatch`;
      const pt = await reader.readMessage(m.ciphertext);
      if (!equalBytes(pt, m.payload)) return `${step}: decrypted payload mismatch`;
    }
    if (v.handshakeHash !== undefined) {
      if (!equalBytes(init.handshakeHash, v.handshakeHash))
        return 'initiator handshake_hash mismatch';
      if (!equalBytes(resp.handshakeHash, v.handshakeHash))
        return 'responder handshake_hash mismatch';
    }
    const ti = init.intoTransport();
    const tr = resp.intoTransport();
    for (; i < v.messages.length; i++) {
      const m = v.messages[i];
      if (m === undefined) break;
      step = `message ${i}`;
      // Transport messages keep alternating by index; one-way patterns only send forward (§7.4).
      const forward = pattern.oneWay || i % 2 === 0;
      const [send, recv] = forward ? [ti.send, tr.recv] : [tr.send, ti.recv];
      const ct = await send.encrypt(m.payload);
      if (!equalBytes(ct, m.ciphertext)) return `${step}: ciphertext mismatch`;
      const pt = await recv.decrypt(m.ciphertext);
      if (!equalBytes(pt, m.payload)) return `${step}: decrypted payload mismatch`;
    }
    return undefined;
  } catch (err) {
    return `${step}: ${explain(err)}`;
  }
}

async function runVector(index: number, raw: unknown): Promise<VectorResult> {
  const checked = checkVector(raw);
  if (checked.kind === 'skip')
    return { index, name: checked.name, status: 'skipped', reason: checked.reason };
  if (checked.kind === 'malformed') {
    return { index, name: checked.name, status: 'failed', reason: `malformed: ${checked.reason}` };
  }
  const v = checked.vector;
  for (const backend of backendsFor(v)) {
    const reason = await runOnce(v, backend);
    if (reason !== undefined) {
      return {
        index,
        name: v.name,
        status: 'failed',
        reason: `[aes=${backend.aes} dh=${backend.dh}] ${reason}`,
      };
    }
  }
  return { index, name: v.name, status: 'passed' };
}

/** Runs a parsed vector file; undefined if it is not `{"vectors": [...]}`. */
export async function runVectorFile(data: unknown): Promise<VectorSummary | undefined> {
  const list = vectorList(data);
  if (list === undefined) return undefined;
  const results: VectorResult[] = [];
  for (const [i, raw] of list.entries()) results.push(await runVector(i, raw));
  const count = (s: VectorStatus): number => results.filter((r) => r.status === s).length;
  return { results, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** The runner's last line, exactly. */
export function summaryLine(s: VectorSummary): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}
