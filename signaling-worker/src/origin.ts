// Origin allow-list (seed 000 "header filter"). Entries are exact origins
// ("https://peerline.example") or a host with any port ("http://localhost:*"). Browsers always
// send Origin on WebSocket upgrades, so a missing or "null" Origin is refused: it can only come
// from a non-browser client that has no business with a browser messenger's signaling.
import { MAX_ORIGIN_BYTES, utf8Length } from '../../src/signaling/protocol.ts';

export function originAllowed(origin: string | null, allowList: readonly string[]): boolean {
  if (origin === null || origin === 'null' || utf8Length(origin) > MAX_ORIGIN_BYTES) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // An Origin is scheme://host[:port] and nothing else; a path or credentials means forgery.
  if (url.origin !== origin) return false;
  const anyPort = `${url.protocol}//${url.hostname}:*`;
  return allowList.some((entry) => entry === origin || entry === anyPort);
}
