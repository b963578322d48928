// The Peerline error table (PROTOCOL.md §"Errors"). Codes 1000–1006 and 2000–2002 come from the
// seed protocol; 1007+ and 2003+ are Peerline's own. `closes` says whether the session ends.
// 3000–3008 concern one file transfer (PROTOCOL.md §13): they end the transfer, never the session.

export const ErrorCode = {
  INVALID_FORMAT: 1000,
  AUTHENTICATION_FAILED: 1001,
  INVALID_SIGNATURE: 1002,
  ENCRYPTION_ERROR: 1003,
  RATE_LIMITED: 1004,
  USER_NOT_FOUND: 1005,
  PERMISSION_DENIED: 1006,
  OUT_OF_SEQUENCE: 1007,
  FRAME_TOO_LARGE: 1008,
  VERSION_UNSUPPORTED: 1009,
  DOWNGRADE_DETECTED: 1010,
  IDENTITY_MISMATCH: 1011,
  HANDSHAKE_FAILED: 1012,
  INVALID_KEY: 1013,
  NONCE_EXHAUSTED: 1014,
  UNEXPECTED_MESSAGE: 1015,
  NETWORK_TIMEOUT: 2000,
  CONNECTION_LOST: 2001,
  SERVER_UNAVAILABLE: 2002,
  CLOSED_BY_PEER: 2003,
  FILE_TOO_LARGE: 3000,
  FILE_QUOTA_EXCEEDED: 3001,
  FILE_UNSOLICITED_DATA: 3002,
  FILE_CHUNK_INVALID: 3003,
  FILE_HASH_MISMATCH: 3004,
  FILE_CANCELLED: 3005,
  FILE_DECLINED: 3006,
  FILE_UNKNOWN: 3007,
  FILE_STORAGE_ERROR: 3008,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeNumber = (typeof ErrorCode)[ErrorCodeName];

/** Whether an error of this code ends the session (PROTOCOL.md error table). */
export const CLOSES_SESSION: Readonly<Record<ErrorCodeNumber, boolean>> = {
  1000: false,
  1001: true,
  1002: true,
  1003: true,
  1004: false,
  1005: false,
  1006: true,
  1007: true,
  1008: true,
  1009: true,
  1010: true,
  1011: true,
  1012: true,
  1013: true,
  1014: true,
  1015: true,
  2000: true,
  2001: true,
  2002: false,
  2003: true,
  3000: false,
  3001: false,
  3002: false,
  3003: false,
  3004: false,
  3005: false,
  3006: false,
  3007: false,
  3008: false,
};

const NAMES = new Map<number, ErrorCodeName>(
  (Object.entries(ErrorCode) as [ErrorCodeName, ErrorCodeNumber][]).map(([k, v]) => [v, k]),
);

export function errorCodeName(code: number): ErrorCodeName | undefined {
  return NAMES.get(code);
}

export function isErrorCode(code: unknown): code is ErrorCodeNumber {
  return typeof code === 'number' && NAMES.has(code);
}

/**
 * The one error type every Peerline layer throws for protocol failures. `detail` is for people
 * and logs: it must never contain key material or plaintext.
 */
export class PeerlineError extends Error {
  readonly code: ErrorCodeNumber;
  readonly detail: string;

  constructor(code: ErrorCodeNumber, detail: string, options?: { cause?: unknown }) {
    super(`${errorCodeName(code) ?? 'UNKNOWN'} (${code}): ${detail}`, options);
    this.name = 'PeerlineError';
    this.code = code;
    this.detail = detail;
  }

  get closesSession(): boolean {
    return CLOSES_SESSION[this.code];
  }
}

export function isPeerlineError(e: unknown, code?: ErrorCodeNumber): e is PeerlineError {
  return e instanceof PeerlineError && (code === undefined || e.code === code);
}
