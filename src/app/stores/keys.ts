// Key-derived strings the screens show. Components call these instead of touching crypto.

import { fromHex } from '../../crypto/bytes.ts';
import { shortFingerprint } from '../../crypto/contact-link.ts';
import { safetyNumber, safetyNumberQrPayload } from '../../crypto/safety-number.ts';
import { me } from './identity.ts';

/** "3f2a 91c0 7be4 0d15" for a 64-hex key; empty for anything else. */
export function fingerprintOf(hex: string): string {
  const key = fromHex(hex);
  return key?.length === 32 ? shortFingerprint(key) : '';
}

export interface SafetyInfo {
  /** 12 groups of 5 digits. */
  readonly groups: readonly string[];
  /** What the QR code on the safety-number screen encodes. */
  readonly qrPayload: string;
}

/** The safety number between this identity and `hex`; undefined before onboarding. */
export function safetyFor(hex: string): SafetyInfo | undefined {
  const mine = me()?.publicKey;
  const theirs = fromHex(hex);
  if (!mine || theirs?.length !== 32) return undefined;
  return {
    groups: safetyNumber(mine, theirs).groups,
    qrPayload: safetyNumberQrPayload(mine, theirs),
  };
}
