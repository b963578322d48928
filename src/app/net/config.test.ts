import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  iceTransportPolicy,
  RELAY_ONLY_KEY,
  SIGNALING_OVERRIDE_KEY,
  signalingUrl,
} from './config.ts';

function stubPage(url: string, stored: Record<string, string> = {}): void {
  const u = new URL(url);
  vi.stubGlobal('location', { protocol: u.protocol, hostname: u.hostname, search: u.search });
  vi.stubGlobal('localStorage', { getItem: (k: string) => stored[k] ?? null });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('signalingUrl', () => {
  it('defaults to the Worker of `npm start` next to the page host, wss on https', () => {
    stubPage('http://192.168.1.5:4173/');
    expect(signalingUrl()).toBe('ws://192.168.1.5:8787');
    stubPage('https://peerline.example/');
    expect(signalingUrl()).toBe('wss://peerline.example:8787');
  });

  it('uses VITE_SIGNALING_URL, and a valid override before it', () => {
    vi.stubEnv('VITE_SIGNALING_URL', 'wss://signal.example');
    stubPage('https://peerline.example/');
    expect(signalingUrl()).toBe('wss://signal.example');
    stubPage('https://peerline.example/', { [SIGNALING_OVERRIDE_KEY]: 'ws://127.0.0.1:9999' });
    expect(signalingUrl()).toBe('ws://127.0.0.1:9999');
    // Anything but a ws(s) URL is ignored.
    stubPage('https://peerline.example/', { [SIGNALING_OVERRIDE_KEY]: 'javascript:alert(1)' });
    expect(signalingUrl()).toBe('wss://signal.example');
  });
});

describe('iceTransportPolicy', () => {
  it("is 'relay' only when the test setting or ?relay=1 asks for it", () => {
    stubPage('http://127.0.0.1:4173/');
    expect(iceTransportPolicy()).toBe('all');
    stubPage('http://127.0.0.1:4173/', { [RELAY_ONLY_KEY]: '1' });
    expect(iceTransportPolicy()).toBe('relay');
    stubPage('http://127.0.0.1:4173/?relay=1');
    expect(iceTransportPolicy()).toBe('relay');
    stubPage('http://127.0.0.1:4173/', { [RELAY_ONLY_KEY]: 'yes' });
    expect(iceTransportPolicy()).toBe('all');
  });
});
