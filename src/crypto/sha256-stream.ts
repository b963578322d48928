// Incremental SHA-256 for files (PROTOCOL.md §13: the whole-file digest of an offer, hashed
// chunk by chunk, its state saved at every checkpoint). hash-wasm's WebAssembly SHA-256 runs
// ≈ 4× faster than noble's in Chromium (310 vs 70 MB/s, docs/performance.md); noble stays as
// the fallback where WebAssembly is unavailable. Both save and restore the same HashSnapshot,
// so a checkpoint written by one resumes in the other.

import { createSHA256, type IHasher } from 'hash-wasm';
import type { HashSnapshot } from '../peer/files/types.ts';
import { toHex } from './bytes.ts';
import { ResumableSha256 } from './resumable-sha256.ts';
import { decodeWasmState, encodeWasmState, WASM_STATE_LENGTH } from './sha256-wasm-state.ts';

export interface Sha256Stream {
  /** Which implementation runs (tests, and the benchmark's report). */
  readonly impl: 'wasm' | 'noble';
  update(data: Uint8Array): void;
  /** The state after everything hashed so far; the stream stays usable. */
  snapshot(): HashSnapshot;
  /** The digest of everything hashed so far; the stream stays usable. */
  digest(): Uint8Array;
}

class WasmSha256Stream implements Sha256Stream {
  readonly impl = 'wasm';

  constructor(
    private readonly hasher: IHasher,
    /** A state saved by this hash-wasm: restore() overwrites its SHA-256 fields. */
    private readonly template: Uint8Array,
  ) {}

  update(data: Uint8Array): void {
    this.hasher.update(data);
  }

  snapshot(): HashSnapshot {
    return decodeWasmState(this.hasher.save());
  }

  digest(): Uint8Array {
    const saved = this.hasher.save();
    const out = this.hasher.digest('binary');
    this.hasher.load(saved);
    return out;
  }

  restore(s: HashSnapshot): void {
    this.hasher.load(encodeWasmState(this.template, s));
  }
}

class NobleSha256Stream implements Sha256Stream {
  readonly impl = 'noble';

  constructor(private hash: ResumableSha256) {}

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  snapshot(): HashSnapshot {
    return this.hash.snapshot();
  }

  digest(): Uint8Array {
    return this.hash.clone().digest();
  }
}

/** Known answer for the layout check: 100 bytes 1..100 leave 36 pending bytes and 8 words. */
const PROBE = Uint8Array.from({ length: 100 }, (_, i) => i + 1);

/**
 * A fresh hash-wasm hasher whose saved state has the layout sha256-wasm-state.ts reads and
 * writes, or undefined (no WebAssembly, or a hash-wasm whose state we would misread): the
 * decoded state of a probe must equal noble's, and noble's state written into the hasher must
 * give noble's digest.
 */
async function wasmHasher(): Promise<{ hasher: IHasher; template: Uint8Array } | undefined> {
  try {
    const hasher = await createSHA256();
    const state = hasher.init().update(PROBE).save();
    if (state.length !== WASM_STATE_LENGTH) return undefined;
    const noble = new ResumableSha256().update(PROBE);
    const expected = noble.snapshot();
    const got = decodeWasmState(state);
    const decodes =
      got.length === expected.length &&
      got.words.every((w, i) => w === expected.words[i]) &&
      got.pending.every((b, i) => b === expected.pending[i]);
    if (!decodes) return undefined;
    hasher.load(encodeWasmState(state, expected));
    const encodes = toHex(hasher.digest('binary')) === toHex(noble.digest());
    if (!encodes) return undefined;
    hasher.init();
    return { hasher, template: state };
  } catch {
    return undefined;
  }
}

let warned = false;

function fallingBack(): void {
  if (warned) return;
  warned = true;
  // Visible in the console: a Content-Security-Policy without 'wasm-unsafe-eval' would do this.
  console.warn('Peerline: WebAssembly SHA-256 unavailable, hashing files with noble (slower)');
}

/**
 * A stream from the empty state or from `from` (a checkpoint). Throws RangeError on a
 * malformed snapshot.
 */
export async function createSha256Stream(from?: HashSnapshot): Promise<Sha256Stream> {
  const validated = from === undefined ? undefined : ResumableSha256.restore(from);
  const wasm = await wasmHasher();
  if (wasm === undefined) {
    fallingBack();
    return new NobleSha256Stream(validated ?? new ResumableSha256());
  }
  const stream = new WasmSha256Stream(wasm.hasher, wasm.template);
  if (from !== undefined) stream.restore(from);
  return stream;
}

/** The noble implementation alone (tests compare the two). */
export function createNobleSha256Stream(from?: HashSnapshot): Sha256Stream {
  return new NobleSha256Stream(
    from === undefined ? new ResumableSha256() : ResumableSha256.restore(from),
  );
}
