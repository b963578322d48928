// Where the signaling Worker is and how WebRTC may connect. Build-time configuration
// (VITE_SIGNALING_URL) with developer/test overrides in localStorage, read once per start.

/** localStorage key: a signaling URL that wins over the built-in one (development, tests). */
export const SIGNALING_OVERRIDE_KEY = 'peerline.dev.signalingUrl';
/** localStorage key: '1' forces every connection through TURN (`iceTransportPolicy: 'relay'`). */
export const RELAY_ONLY_KEY = 'peerline.test.relayOnly';

function stored(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function isWebSocketUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'ws:' || u.protocol === 'wss:';
  } catch {
    return false;
  }
}

/** Override, else VITE_SIGNALING_URL, else the Worker of `npm start` next to this host. */
export function signalingUrl(): string {
  const override = stored(SIGNALING_OVERRIDE_KEY);
  if (override !== undefined && isWebSocketUrl(override)) return override;
  const built: unknown = import.meta.env.VITE_SIGNALING_URL;
  if (typeof built === 'string' && isWebSocketUrl(built)) return built;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.hostname}:8787`;
}

export function iceTransportPolicy(): RTCIceTransportPolicy {
  const query = new URLSearchParams(location.search).get('relay');
  return stored(RELAY_ONLY_KEY) === '1' || query === '1' ? 'relay' : 'all';
}
