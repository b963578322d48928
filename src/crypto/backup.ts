// Passphrase-encrypted identity backup file (PROTOCOL.md §"Identity backup").
//
// Byte layout, version 1 (85 bytes in total):
//   offset  size  field
//        0     4  magic "PLBK" (0x50 0x4c 0x42 0x4b)
//        4     1  version = 0x01
//        5     1  log2N   scrypt cost, 10 ≤ log2N ≤ 20 (default 17)
//        6     1  r       scrypt block size, 1 ≤ r ≤ 16 (default 8)
//        7     1  p       scrypt parallelism, 1 ≤ p ≤ 4 (default 1)
//        8    16  salt    random
//       24    12  nonce   random
//       36    49  AES-256-GCM ciphertext of the 33-byte serialized identity (identity.ts:
//                 0x01 || seed) followed by the 16-byte tag
// header = bytes 0..36 and is the GCM associated data, so no parameter can be changed unnoticed.
//
// key = scrypt(P = UTF-8(NFKC(passphrase)), S = salt, N = 2^log2N, r, p, dkLen = 32)  (RFC 7914)
// ciphertext = AES-256-GCM(key, nonce, plaintext, AD = header)     (NIST SP 800-38D, 128-bit tag)
//
// Import checks the header before any KDF work: a truncated or padded file, a wrong magic or
// version, or parameters outside the bounds above (or needing more than 1 GiB, 128·r·N bytes) is
// INVALID_FORMAT. Tag failure — wrong passphrase or any changed byte — is AUTHENTICATION_FAILED;
// the two causes cannot be told apart, by design of an AEAD.
// NFKC makes the same passphrase typed on different keyboards/IMEs give the same bytes.

import { scryptAsync } from '@noble/hashes/scrypt.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { concatBytes, utf8, wipe } from './bytes.ts';
import { ErrorCode, PeerlineError } from './errors.ts';
import {
  deserializeIdentity,
  type Identity,
  SERIALIZED_IDENTITY_LENGTH,
  serializeIdentity,
} from './identity.ts';

const MAGIC = utf8('PLBK');
const VERSION = 0x01;
const SALT_LENGTH = 16;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
export const BACKUP_HEADER_LENGTH = MAGIC.length + 4 + SALT_LENGTH + NONCE_LENGTH;
export const BACKUP_LENGTH = BACKUP_HEADER_LENGTH + SERIALIZED_IDENTITY_LENGTH + TAG_LENGTH;

export const DEFAULT_SCRYPT_LOG2N = 17;
const DEFAULT_R = 8;
const DEFAULT_P = 1;
const LOG2N_MIN = 10;
const LOG2N_MAX = 20;
const R_MAX = 16;
const P_MAX = 4;
const MAX_KDF_MEMORY = 2 ** 30;

interface KdfParams {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

export interface BackupProgress {
  /** Called with 0…1 while the KDF runs (it takes about a second at the default cost). */
  readonly onProgress?: (fraction: number) => void;
}

export interface ExportOptions extends BackupProgress {
  /** scrypt N, a power of two from 2^10 to 2^20. Default 2^17. */
  readonly N?: number;
}

function paramsAreSane({ log2N, r, p }: KdfParams): boolean {
  return (
    log2N >= LOG2N_MIN &&
    log2N <= LOG2N_MAX &&
    r >= 1 &&
    r <= R_MAX &&
    p >= 1 &&
    p <= P_MAX &&
    128 * r * 2 ** log2N <= MAX_KDF_MEMORY
  );
}

async function deriveKey(
  passphrase: string,
  salt: Uint8Array,
  { log2N, r, p }: KdfParams,
  progress: BackupProgress,
): Promise<CryptoKey> {
  const N = 2 ** log2N;
  const password = utf8(passphrase.normalize('NFKC'));
  const raw = await scryptAsync(password, salt, {
    N,
    r,
    p,
    dkLen: KEY_LENGTH,
    // noble counts its scratch blocks too; the bound above already limits V to 1 GiB.
    maxmem: 128 * r * (N + 2 * p + 1),
    ...(progress.onProgress === undefined ? {} : { onProgress: progress.onProgress }),
  });
  try {
    return await globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
  } finally {
    wipe(raw, password);
  }
}

export async function exportIdentityBackup(
  identity: Identity,
  passphrase: string,
  opts: ExportOptions = {},
): Promise<Uint8Array> {
  const N = opts.N ?? 2 ** DEFAULT_SCRYPT_LOG2N;
  const log2N = Math.log2(N);
  const params: KdfParams = { log2N, r: DEFAULT_R, p: DEFAULT_P };
  if (!Number.isInteger(log2N) || !paramsAreSane(params)) {
    throw new RangeError('scrypt N must be a power of two from 2^10 to 2^20');
  }
  if (passphrase.length === 0) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'passphrase must not be empty');
  }
  const salt = randomBytes(SALT_LENGTH);
  const nonce = randomBytes(NONCE_LENGTH);
  const header = new Uint8Array(BACKUP_HEADER_LENGTH);
  header.set(MAGIC, 0);
  header.set([VERSION, log2N, params.r, params.p], 4);
  header.set(salt, 8);
  header.set(nonce, 8 + SALT_LENGTH);
  const key = await deriveKey(passphrase, salt, params, opts);
  const plaintext = serializeIdentity(identity);
  try {
    const sealed = await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonce, additionalData: header, tagLength: TAG_LENGTH * 8 },
      key,
      plaintext,
    );
    return concatBytes(header, new Uint8Array(sealed));
  } finally {
    wipe(plaintext);
  }
}

export async function importIdentityBackup(
  bytes: Uint8Array,
  passphrase: string,
  opts: BackupProgress = {},
): Promise<Identity> {
  if (bytes.length !== BACKUP_LENGTH) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'backup file has the wrong length');
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'not a Peerline backup file');
    }
  }
  if (bytes[4] !== VERSION) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'unsupported backup version');
  }
  const params: KdfParams = { log2N: bytes[5] ?? 0, r: bytes[6] ?? 0, p: bytes[7] ?? 0 };
  if (!paramsAreSane(params)) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'backup KDF parameters out of range');
  }
  // Copies, so WebCrypto gets plain ArrayBuffer-backed views whatever `bytes` is a view of.
  const header = bytes.slice(0, BACKUP_HEADER_LENGTH);
  const salt = header.slice(8, 8 + SALT_LENGTH);
  const nonce = header.slice(8 + SALT_LENGTH);
  const sealed = bytes.slice(BACKUP_HEADER_LENGTH);
  const key = await deriveKey(passphrase, salt, params, opts);
  let opened: ArrayBuffer;
  try {
    opened = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: nonce, additionalData: header, tagLength: TAG_LENGTH * 8 },
      key,
      sealed,
    );
  } catch (cause) {
    throw new PeerlineError(ErrorCode.AUTHENTICATION_FAILED, 'wrong passphrase or damaged file', {
      cause,
    });
  }
  const plaintext = new Uint8Array(opened);
  try {
    return deserializeIdentity(plaintext);
  } finally {
    wipe(plaintext);
  }
}
