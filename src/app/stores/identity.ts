// This browser's identity, as a state machine the UI renders from. The secret half stays in a
// module variable for the transport layer; reactive state only carries what screens show.

import { createSignal } from 'solid-js';
import { exportIdentityBackup, importIdentityBackup } from '../../crypto/backup.ts';
import { toHex, wipe } from '../../crypto/bytes.ts';
import { ErrorCode, isPeerlineError } from '../../crypto/errors.ts';
import {
  deserializeIdentity,
  generateIdentity,
  type Identity,
  serializeIdentity,
} from '../../crypto/identity.ts';
import {
  deleteEverything,
  loadIdentity as loadStored,
  renameIdentity,
  saveNewIdentity,
} from '../../db/identity.ts';

export interface Me {
  readonly publicKey: Uint8Array;
  readonly publicHex: string;
  readonly displayName: string;
  readonly createdAt: number;
}

export type IdentityState =
  | { readonly status: 'loading' }
  /** No identity yet: onboarding. */
  | { readonly status: 'absent' }
  | { readonly status: 'ready'; readonly me: Me }
  /** A stored identity could not be read; we refuse to replace it silently. */
  | { readonly status: 'corrupt' }
  | { readonly status: 'failed'; readonly message: string };

export const MAX_NAME_LENGTH = 40;

const [identityState, setIdentityState] = createSignal<IdentityState>({ status: 'loading' });

export { identityState };

let secret: Identity | undefined;

/** The full identity (with secret keys) for the session layer; undefined until ready. */
export function currentIdentity(): Identity | undefined {
  return secret;
}

/** The identity when ready; for screens that only render once it is. */
export function me(): Me | undefined {
  const s = identityState();
  return s.status === 'ready' ? s.me : undefined;
}

function toMe(identity: Identity, displayName: string, createdAt: number): Me {
  return {
    publicKey: identity.edPublicKey,
    publicHex: toHex(identity.edPublicKey),
    displayName,
    createdAt,
  };
}

/** Trims and checks a display name; returns undefined when it cannot be used. */
export function cleanName(input: string): string | undefined {
  const name = input.replace(/\s+/g, ' ').trim();
  return name.length > 0 && name.length <= MAX_NAME_LENGTH ? name : undefined;
}

export async function loadIdentity(): Promise<void> {
  try {
    const stored = await loadStored();
    if (stored.kind === 'none') {
      setIdentityState({ status: 'absent' });
      return;
    }
    if (stored.kind === 'corrupt') {
      setIdentityState({ status: 'corrupt' });
      return;
    }
    const { bytes, displayName, createdAt } = stored.record;
    let identity: Identity;
    try {
      identity = deserializeIdentity(bytes);
    } catch {
      setIdentityState({ status: 'corrupt' });
      return;
    }
    secret = identity;
    setIdentityState({ status: 'ready', me: toMe(identity, displayName, createdAt) });
  } catch (e) {
    setIdentityState({ status: 'failed', message: describeError(e) });
  }
}

/** First start: makes the key pair, stores it and asks the browser to keep our storage. */
export async function createIdentity(displayName: string): Promise<void> {
  const identity = generateIdentity();
  const createdAt = Date.now();
  await saveNewIdentity({ bytes: serializeIdentity(identity), displayName, createdAt });
  secret = identity;
  setIdentityState({ status: 'ready', me: toMe(identity, displayName, createdAt) });
  // Without this the browser may evict IndexedDB under storage pressure: the identity would be
  // lost for good. The answer does not change what we do, so it is not awaited.
  navigator.storage?.persist?.().catch(() => undefined);
}

export type RestoreResult = 'restored' | 'wrong-passphrase' | 'not-a-backup' | 'exists' | 'failed';

/**
 * Another browser's identity from its backup file (PROTOCOL.md §10): same key, same address.
 * Only at first start: an existing identity is never replaced.
 */
export async function restoreIdentity(
  file: Uint8Array,
  passphrase: string,
  displayName: string,
  onProgress?: (fraction: number) => void,
): Promise<RestoreResult> {
  let identity: Identity;
  try {
    identity = await importIdentityBackup(file, passphrase, onProgress ? { onProgress } : {});
  } catch (e) {
    if (isPeerlineError(e, ErrorCode.AUTHENTICATION_FAILED)) return 'wrong-passphrase';
    if (isPeerlineError(e)) return 'not-a-backup';
    return 'failed';
  }
  const createdAt = Date.now();
  try {
    await saveNewIdentity({ bytes: serializeIdentity(identity), displayName, createdAt });
  } catch (e) {
    wipe(identity.edSecretKey, identity.x25519.secretKey);
    return e instanceof DOMException && e.name === 'ConstraintError' ? 'exists' : 'failed';
  }
  secret = identity;
  setIdentityState({ status: 'ready', me: toMe(identity, displayName, createdAt) });
  navigator.storage?.persist?.().catch(() => undefined);
  return 'restored';
}

/** This identity as an encrypted backup file's bytes; undefined before onboarding. */
export async function backupIdentity(
  passphrase: string,
  onProgress?: (fraction: number) => void,
): Promise<Uint8Array | undefined> {
  if (!secret) return undefined;
  return exportIdentityBackup(secret, passphrase, onProgress ? { onProgress } : {});
}

export async function changeName(displayName: string): Promise<void> {
  const record = await renameIdentity(displayName);
  const s = identityState();
  if (s.status === 'ready') {
    setIdentityState({ status: 'ready', me: { ...s.me, displayName: record.displayName } });
  }
}

/** Deletes identity, contacts, history and settings; the app goes back to onboarding. */
export async function deleteIdentity(): Promise<void> {
  await deleteEverything();
  if (secret) wipe(secret.edSecretKey, secret.x25519.secretKey);
  secret = undefined;
  setIdentityState({ status: 'absent' });
}

function describeError(e: unknown): string {
  // DOMException names (QuotaExceededError, InvalidStateError…) say enough and carry no data.
  if (e instanceof DOMException) return e.name;
  return e instanceof Error ? e.message : 'unknown error';
}
