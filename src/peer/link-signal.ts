// The inner payload of a sealed signal (docs/signaling.md §3): what two Peerline peers tell each
// other through the signaling Worker to set up a data channel. UTF-8 JSON, one object:
//
//   {"v":1,"kind":"offer"|"answer","conn":"<32 hex>","sdp":"<SDP>"}
//   {"v":1,"kind":"candidate","conn":"<32 hex>","candidate":{"candidate":"…","sdpMid":"0"|null,
//                                                          "sdpMLineIndex":0|null}}
//   {"v":1,"kind":"knock","conn":"<32 hex>"}
//
// `conn` names one connection attempt, chosen by the offerer: answers and candidates of an older
// attempt are recognised and dropped. The peer with the lower address (bytewise) is always the
// offerer and Noise initiator, so the two never offer at once (no glare); the other side sends
// `knock` to ask for an offer. Unknown fields are ignored; anything else is rejected.

import { fromUtf8, utf8 } from '../crypto/bytes.ts';
import { isMessageId } from './ids.ts';
import type { IceCandidateInit } from './rtc.ts';

export const LINK_SIGNAL_VERSION = 1;
/** Far above a data-channel SDP (~1 KB), far below the Worker's 16 KiB frame. */
export const MAX_SDP_CHARS = 8_000;
export const MAX_CANDIDATE_CHARS = 1_024;
const MAX_MID_CHARS = 32;

export type LinkSignal =
  | { readonly kind: 'offer' | 'answer'; readonly conn: string; readonly sdp: string }
  | { readonly kind: 'candidate'; readonly conn: string; readonly candidate: IceCandidateInit }
  | { readonly kind: 'knock'; readonly conn: string };

export function encodeLinkSignal(s: LinkSignal): Uint8Array {
  return utf8(JSON.stringify({ v: LINK_SIGNAL_VERSION, ...s }));
}

function boundedString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function asCandidate(v: unknown): IceCandidateInit | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const c = v as Record<string, unknown>;
  if (!boundedString(c.candidate, MAX_CANDIDATE_CHARS)) return undefined;
  const mid = c.sdpMid ?? null;
  const index = c.sdpMLineIndex ?? null;
  if (mid !== null && !boundedString(mid, MAX_MID_CHARS)) return undefined;
  if (index !== null && !(Number.isSafeInteger(index) && (index as number) >= 0)) return undefined;
  return { candidate: c.candidate, sdpMid: mid, sdpMLineIndex: index as number | null };
}

/** Validates a decrypted signal payload; undefined for anything malformed. Never throws. */
export function parseLinkSignal(bytes: Uint8Array): LinkSignal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if (o.v !== LINK_SIGNAL_VERSION || !isMessageId(o.conn)) return undefined;
  const conn = o.conn;
  switch (o.kind) {
    case 'offer':
    case 'answer':
      return boundedString(o.sdp, MAX_SDP_CHARS) ? { kind: o.kind, conn, sdp: o.sdp } : undefined;
    case 'candidate': {
      const candidate = asCandidate(o.candidate);
      return candidate ? { kind: 'candidate', conn, candidate } : undefined;
    }
    case 'knock':
      return { kind: 'knock', conn };
    default:
      return undefined;
  }
}
