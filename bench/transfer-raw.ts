// The floor of `npm run bench:transfer`: a bare RTCPeerConnection data channel (no simple-peer,
// no Noise, no framing) carrying 64 KiB messages with the backpressure every careful sender
// uses — send while bufferedAmount ≤ HIGH, then wait for `bufferedamountlow` at LOW. Runs in the
// page (bench/transfer-page.ts); Playwright carries the SDP between the two pages.

export const RAW_MESSAGE = 64 * 1024;

interface RawState {
  pc: RTCPeerConnection | undefined;
  channel: Promise<RTCDataChannel> | undefined;
}

const state: RawState = { pc: undefined, channel: undefined };

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    else
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      });
  });
}

function opened(dc: RTCDataChannel): Promise<RTCDataChannel> {
  dc.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    if (dc.readyState === 'open') resolve(dc);
    dc.addEventListener('open', () => resolve(dc));
    dc.addEventListener('error', () => reject(new Error('raw channel failed')));
  });
}

/** Offerer: a fresh connection and channel; returns the SDP with all candidates. */
export async function rawOffer(): Promise<string> {
  rawClose();
  const pc = new RTCPeerConnection({ iceServers: [] });
  state.pc = pc;
  state.channel = opened(pc.createDataChannel('bench', { ordered: true }));
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return pc.localDescription?.sdp ?? '';
}

export async function rawAnswer(offer: string): Promise<string> {
  rawClose();
  const pc = new RTCPeerConnection({ iceServers: [] });
  state.pc = pc;
  state.channel = new Promise((resolve) => {
    pc.addEventListener('datachannel', (e) => resolve(opened(e.channel)));
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  return pc.localDescription?.sdp ?? '';
}

export async function rawFinish(answer: string): Promise<void> {
  await state.pc?.setRemoteDescription({ type: 'answer', sdp: answer });
  await state.channel;
}

function channel(): Promise<RTCDataChannel> {
  if (!state.channel) throw new Error('no raw channel');
  return state.channel;
}

/** Sends `total` bytes in RAW_MESSAGE messages; resolves once all are handed to the channel. */
export async function rawSend(total: number, high: number, low: number): Promise<number> {
  const dc = await channel();
  dc.bufferedAmountLowThreshold = low;
  const message = new Uint8Array(RAW_MESSAGE);
  crypto.getRandomValues(message);
  const start = performance.timeOrigin + performance.now();
  let sent = 0;
  while (sent < total) {
    if (dc.bufferedAmount > high) {
      await new Promise<void>((r) =>
        dc.addEventListener('bufferedamountlow', () => r(), { once: true }),
      );
    }
    const n = Math.min(RAW_MESSAGE, total - sent);
    dc.send(n === RAW_MESSAGE ? message : message.subarray(0, n));
    sent += n;
  }
  return start;
}

/** Resolves with the wall-clock time the last of `total` bytes arrived. */
export async function rawReceive(total: number): Promise<number> {
  const dc = await channel();
  return new Promise((resolve) => {
    let got = 0;
    const onMessage = (e: MessageEvent<ArrayBuffer>) => {
      got += e.data.byteLength;
      if (got >= total) {
        dc.removeEventListener('message', onMessage);
        resolve(performance.timeOrigin + performance.now());
      }
    };
    dc.addEventListener('message', onMessage);
  });
}

export function rawClose(): void {
  state.pc?.close();
  state.pc = undefined;
  state.channel = undefined;
}
