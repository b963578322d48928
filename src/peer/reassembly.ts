// MORE reassembly (PROTOCOL.md §3.3): pieces of one MESSAGE arrive in consecutive MESSAGE
// frames (BINARY and REHANDSHAKE frames may sit between them); the last piece has no MORE.

import { ErrorCode, PeerlineError } from '../crypto/errors.ts';

/** A reassembled message over 1 MiB closes the session (FRAME_TOO_LARGE). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export type PieceResult =
  | { readonly kind: 'partial' }
  | { readonly kind: 'complete'; readonly content: Uint8Array };

export class Reassembler {
  private pieces: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly limit: number = MAX_MESSAGE_BYTES) {}

  /** Takes a copy of `piece`; throws FRAME_TOO_LARGE once the message passes the limit. */
  push(piece: Uint8Array, more: boolean): PieceResult {
    this.size += piece.length;
    if (this.size > this.limit) {
      this.reset();
      throw new PeerlineError(ErrorCode.FRAME_TOO_LARGE, 'reassembled message over 1 MiB');
    }
    if (more) {
      this.pieces.push(piece.slice());
      return { kind: 'partial' };
    }
    if (this.pieces.length === 0) {
      this.size = 0;
      return { kind: 'complete', content: piece };
    }
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const p of [...this.pieces, piece]) {
      out.set(p, off);
      off += p.length;
    }
    this.reset();
    return { kind: 'complete', content: out };
  }

  /** Drops a half-built message (its piece was unreadable, so the whole is corrupt). */
  reset(): void {
    this.pieces = [];
    this.size = 0;
  }

  get buffered(): number {
    return this.size;
  }
}

/** Splits content into pieces of at most `pieceSize` bytes (at least one, maybe empty). */
export function splitPieces(content: Uint8Array, pieceSize: number): Uint8Array[] {
  if (content.length > MAX_MESSAGE_BYTES) {
    throw new PeerlineError(ErrorCode.FRAME_TOO_LARGE, 'message over 1 MiB');
  }
  const out: Uint8Array[] = [];
  for (let off = 0; off < content.length; off += pieceSize) {
    out.push(content.subarray(off, off + pieceSize));
  }
  return out.length === 0 ? [content] : out;
}
