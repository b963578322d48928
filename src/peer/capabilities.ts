// Handshake payloads and version negotiation (PROTOCOL.md §2.1, §2.3). Payloads are UTF-8 JSON
// inside the Noise handshake payload; a missing or ill-typed required field is HANDSHAKE_FAILED.

import { fromHex, fromUtf8, toHex, utf8 } from '../crypto/bytes.ts';
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';
import { MAX_FRAME_LENGTH } from './frame.ts';

export const PROTOCOL_VERSION = 1;
export const MIN_MAX_FRAME = 1_024;
const MAX_LIST = 64;
const MAX_FEATURE_CHARS = 64;

export interface Capabilities {
  /** Protocol versions this side speaks (1–255). */
  readonly versions: readonly number[];
  readonly features: readonly string[];
  /** Largest frame this side accepts (1024–65535). */
  readonly maxFrame: number;
}

export const DEFAULT_CAPABILITIES: Capabilities = {
  versions: [PROTOCOL_VERSION],
  features: ['text', 'receipt', 'typing', 'presence'],
  maxFrame: MAX_FRAME_LENGTH,
};

/** Message 1 (→ e): sent in clear, but mixed into h (Noise §5.3 MixHash of the payload). */
export type Msg1Payload = Capabilities;
/** Message 2 (← e, ee, s, es). */
export interface Msg2Payload extends Capabilities {
  readonly ed: Uint8Array;
  readonly chosen: number;
}
/** Message 3 (→ s, se). */
export interface Msg3Payload {
  readonly ed: Uint8Array;
  readonly chosen: number;
}

function fail(detail: string): never {
  throw new PeerlineError(ErrorCode.HANDSHAKE_FAILED, detail);
}

function decodeObject(bytes: Uint8Array): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(fromUtf8(bytes));
  } catch {
    fail('handshake payload is not UTF-8 JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('payload is not an object');
  return v as Record<string, unknown>;
}

function isVersion(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255;
}

function versions(v: unknown): number[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > 255 || !v.every(isVersion)) {
    fail('versions must be a non-empty list of integers 1..255');
  }
  return [...v];
}

function features(v: unknown): string[] {
  const ok = (f: unknown): f is string =>
    typeof f === 'string' && f.length >= 1 && f.length <= MAX_FEATURE_CHARS;
  if (!Array.isArray(v) || v.length > MAX_LIST || !v.every(ok)) fail('features ill-typed');
  return [...v];
}

function maxFrame(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_MAX_FRAME || v > MAX_FRAME_LENGTH) {
    fail('max_frame must be an integer 1024..65535');
  }
  return v;
}

function edKey(v: unknown): Uint8Array {
  const bytes = typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? fromHex(v) : undefined;
  if (bytes === undefined) fail('ed must be 64 lowercase hex');
  return bytes;
}

function chosen(v: unknown): number {
  if (!isVersion(v)) fail('chosen must be an integer 1..255');
  return v;
}

/** Validates our own configuration with the same rules we apply to the peer's. */
export function checkCapabilities(c: Capabilities): Capabilities {
  try {
    return {
      versions: versions(c.versions),
      features: features(c.features),
      maxFrame: maxFrame(c.maxFrame),
    };
  } catch (e) {
    throw new PeerlineError(ErrorCode.INVALID_FORMAT, 'invalid local capabilities', { cause: e });
  }
}

const capsJson = (c: Capabilities) => ({
  versions: c.versions,
  max_frame: c.maxFrame,
  features: c.features,
});

export function encodeMsg1(c: Capabilities): Uint8Array {
  return utf8(JSON.stringify(capsJson(c)));
}

export function encodeMsg2(c: Capabilities, ed: Uint8Array, chosenVersion: number): Uint8Array {
  return utf8(JSON.stringify({ ed: toHex(ed), ...capsJson(c), chosen: chosenVersion }));
}

export function encodeMsg3(ed: Uint8Array, chosenVersion: number): Uint8Array {
  return utf8(JSON.stringify({ ed: toHex(ed), chosen: chosenVersion }));
}

function parseCaps(o: Record<string, unknown>): Capabilities {
  return {
    versions: versions(o.versions),
    maxFrame: maxFrame(o.max_frame),
    features: features(o.features),
  };
}

export function parseMsg1(bytes: Uint8Array): Msg1Payload {
  return parseCaps(decodeObject(bytes));
}

export function parseMsg2(bytes: Uint8Array): Msg2Payload {
  const o = decodeObject(bytes);
  return { ...parseCaps(o), ed: edKey(o.ed), chosen: chosen(o.chosen) };
}

export function parseMsg3(bytes: Uint8Array): Msg3Payload {
  const o = decodeObject(bytes);
  return { ed: edKey(o.ed), chosen: chosen(o.chosen) };
}

/** §2.3: the highest version in both lists, or undefined if they share none. */
export function highestCommonVersion(
  ours: readonly number[],
  theirs: readonly number[],
): number | undefined {
  let best: number | undefined;
  for (const v of ours) if (theirs.includes(v) && (best === undefined || v > best)) best = v;
  return best;
}

/** Features both sides announced: what either may rely on. Order follows our own list. */
export function commonFeatures(ours: readonly string[], theirs: readonly string[]): string[] {
  return ours.filter((f) => theirs.includes(f));
}
