// Everything the session reports is a PeerlineError (src/crypto/errors.ts).

import { ErrorCode, isPeerlineError, PeerlineError } from '../crypto/errors.ts';

/** Anything else that reaches us is a bug, not the peer's doing, yet it must stay typed. */
export function asPeerlineError(e: unknown): PeerlineError {
  if (isPeerlineError(e)) return e;
  return new PeerlineError(ErrorCode.UNEXPECTED_MESSAGE, 'internal error', { cause: e });
}
