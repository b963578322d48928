// The floor for "open contact → first message": a bare RTCPeerConnection data channel between
// two pages of the same browser, signalled directly by Playwright (no server, no Noise), timed
// from createPeerConnection on the offerer to the first message arriving at the answerer.
import type { Page } from '@playwright/test';

interface Stamped<T> {
  readonly at: number;
  readonly value: T;
}

declare global {
  // The pages' side of the exchange, kept on globalThis between page.evaluate calls.
  var __rawPc: RTCPeerConnection | undefined;
  var __rawGot: Promise<number> | undefined;
}

/** One connect + first message; returns milliseconds (both pages share the machine's clock). */
export async function rawConnectOnce(offerer: Page, answerer: Page): Promise<number> {
  const offer = await offerer.evaluate(async (): Promise<Stamped<string>> => {
    const at = performance.timeOrigin + performance.now();
    const pc = new RTCPeerConnection({ iceServers: [] });
    globalThis.__rawPc = pc;
    const dc = pc.createDataChannel('chat');
    dc.onopen = () => dc.send('hello');
    await pc.setLocalDescription(await pc.createOffer());
    // Non-trickle: wait for the host candidates (loopback: a few ms), then hand over one SDP.
    await new Promise<void>((r) => {
      if (pc.iceGatheringState === 'complete') r();
      else
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState === 'complete') r();
        });
    });
    return { at, value: pc.localDescription?.sdp ?? '' };
  });
  const answer = await answerer.evaluate(async (sdp: string): Promise<string> => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    globalThis.__rawPc = pc;
    globalThis.__rawGot = new Promise<number>((r) => {
      pc.ondatachannel = (e) => {
        e.channel.onmessage = () => r(performance.timeOrigin + performance.now());
      };
    });
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise<void>((r) => {
      if (pc.iceGatheringState === 'complete') r();
      else
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState === 'complete') r();
        });
    });
    return pc.localDescription?.sdp ?? '';
  }, offer.value);
  await offerer.evaluate(async (sdp: string) => {
    await globalThis.__rawPc?.setRemoteDescription({ type: 'answer', sdp });
  }, answer);
  const got = await answerer.evaluate(() => globalThis.__rawGot ?? Promise.reject('no pc'));
  await Promise.all([
    offerer.evaluate(() => globalThis.__rawPc?.close()),
    answerer.evaluate(() => globalThis.__rawPc?.close()),
  ]);
  return got - offer.at;
}
