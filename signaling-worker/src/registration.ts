// Signed-challenge registration check (docs/signaling.md §Registration; seeds 001 and 004).
// Pure: the Key object supplies the pending challenge and the clock.
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { ErrorCode } from '../../src/crypto/errors.ts';
import { registerSignedBytes } from '../../src/signaling/protocol.ts';

export interface PendingChallenge {
  key: string;
  challenge: string;
  expiresAt: number;
  origin: string;
}

export interface RegisterAttempt {
  key: string;
  timestamp: number;
  signature: string;
}

export type Verdict =
  | { ok: true }
  | {
      ok: false;
      code: typeof ErrorCode.AUTHENTICATION_FAILED | typeof ErrorCode.INVALID_SIGNATURE;
      message: string;
    };

export function verifyRegistration(
  pending: PendingChallenge,
  attempt: RegisterAttempt,
  nowMs: number,
  maxSkewMs: number,
): Verdict {
  const fail = (message: string): Verdict => ({
    ok: false,
    code: ErrorCode.AUTHENTICATION_FAILED,
    message,
  });
  if (attempt.key !== pending.key) return fail('key does not match the connection');
  if (nowMs > pending.expiresAt) return fail('challenge expired');
  if (Math.abs(nowMs - attempt.timestamp) > maxSkewMs) return fail('timestamp out of range');
  const msg = registerSignedBytes(
    pending.challenge,
    pending.origin,
    attempt.timestamp,
    pending.key,
  );
  if (!msg) return fail('malformed registration');
  let valid = false;
  try {
    const sig = hexToBytes(attempt.signature);
    const pub = hexToBytes(pending.key);
    // Strict RFC 8032 §5.1.7 verification: canonical encodings only, no ZIP-215 leniency, so one
    // address has exactly one spelling and one valid signature per message.
    valid = ed25519.verify(sig, msg, pub, { zip215: false });
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true }
    : { ok: false, code: ErrorCode.INVALID_SIGNATURE, message: 'invalid signature' };
}
