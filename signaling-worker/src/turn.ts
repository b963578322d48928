// Short-lived TURN credentials in the coturn "TURN REST API" form (draft-uberti-behave-turn-rest-00
// §2.2, coturn `--use-auth-secret`): username = "<expiry unix seconds>:<key hex>",
// credential = base64(HMAC-SHA1(secret, username)). The secret stays in the Worker; the web app
// only ever holds credentials that die within the hour.
import type { IceServer } from '../../src/signaling/protocol.ts';

export interface MintedIce {
  ice_servers: IceServer[];
  expires_at: number;
}

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export async function turnCredential(secret: string, username: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(username));
  return base64(new Uint8Array(mac));
}

export async function mintIceServers(
  secret: string,
  urls: readonly string[],
  keyHex: string,
  ttlSeconds: number,
  nowMs: number,
): Promise<MintedIce> {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  if (urls.length === 0) return { ice_servers: [], expires_at: expiresAt };
  const username = `${expiresAt}:${keyHex}`;
  const credential = await turnCredential(secret, username);
  return { ice_servers: [{ urls: [...urls], username, credential }], expires_at: expiresAt };
}
