// Per-stage timing of "open contact → first message" without touching the app: an init script
// wraps WebSocket, RTCPeerConnection and RTCDataChannel in the bench's pages and stamps what
// they do (performance.timeOrigin + performance.now(), one clock for all pages of the machine).
// Plain JS in a string: tsx would wrap named functions of a page function in a `__name` helper
// the page lacks.

export interface TraceEvent {
  readonly t: number;
  readonly ev: string;
}

export const TRACE_SCRIPT = `(() => {
  const log = [];
  globalThis.__trace = log;
  const now = () => performance.timeOrigin + performance.now();
  const rec = (ev) => log.push({ t: now(), ev });
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') rec('key:Enter'); }, true);
  const WS = globalThis.WebSocket;
  globalThis.WebSocket = class extends WS {
    constructor(url, protocols) {
      super(url, protocols);
      rec('ws:new');
      this.addEventListener('open', () => rec('ws:open'));
      this.addEventListener('message', (e) => {
        let type = '?';
        try { type = JSON.parse(e.data).type; } catch {}
        rec('ws:in:' + type + (type === 'signal' ? ':' + e.data.length : ''));
      });
    }
    send(data) {
      let type = '?';
      try { type = JSON.parse(data).type; } catch {}
      rec('ws:out:' + type + (type === 'signal' ? ':' + data.length : ''));
      return super.send(data);
    }
  };
  const hookChannel = (ch) => {
    ch.addEventListener('open', () => rec('dc:open'));
    ch.addEventListener('message', (e) => rec('dc:in:' + (e.data.byteLength ?? e.data.size ?? e.data.length)));
  };
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    rec('dc:out:' + (data.byteLength ?? data.size ?? data.length));
    return send.call(this, data);
  };
  const PC = globalThis.RTCPeerConnection;
  const wrap = (name) => {
    const orig = PC.prototype[name];
    PC.prototype[name] = function (...args) {
      const kind = args[0] && args[0].type ? ':' + args[0].type : '';
      rec('pc:' + name + kind);
      const r = orig.apply(this, args);
      if (r && typeof r.then === 'function') r.then(() => rec('pc:' + name + kind + ':done'), () => undefined);
      return r;
    };
  };
  for (const m of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) wrap(m);
  globalThis.RTCPeerConnection = class extends PC {
    constructor(config) {
      super(config);
      rec('pc:new');
      this.addEventListener('icecandidate', (e) => rec('pc:candidate:' + (e.candidate ? e.candidate.type : 'end')));
      this.addEventListener('iceconnectionstatechange', () => rec('pc:ice:' + this.iceConnectionState));
      this.addEventListener('connectionstatechange', () => rec('pc:conn:' + this.connectionState));
      this.addEventListener('datachannel', (e) => { rec('pc:datachannel'); hookChannel(e.channel); });
    }
    createDataChannel(label, init) {
      const ch = super.createDataChannel(label, init);
      hookChannel(ch);
      return ch;
    }
  };
})();`;

/** The first event at or after `from` whose name starts with `prefix` (its time), if any. */
export function firstAfter(
  events: readonly TraceEvent[],
  prefix: string,
  from: number,
  nth = 0,
): number | undefined {
  let seen = 0;
  for (const e of events) {
    if (e.t >= from && e.ev.startsWith(prefix)) {
      if (seen === nth) return e.t;
      seen += 1;
    }
  }
  return undefined;
}

/** Where one app run's time went, in ms from the click on the contact (negative: before it). */
export interface ConnectStages {
  /** Alice's signaling connection registered (her app boots while the bench waits to click). */
  readonly signalingReady: number;
  /** Alice's first sealed signal out (offer if she is the offerer, else knock). */
  readonly firstSignal: number;
  /** Alice's RTCPeerConnection created. */
  readonly peerConnection: number;
  /** Alice's data channel open (ICE + DTLS + SCTP done). */
  readonly channelOpen: number;
  /** The third data-channel message at Alice: the Noise XX handshake is complete. */
  readonly handshakeDone: number;
  /** Alice presses Enter (Playwright: click, wait for the chat, fill, press). */
  readonly enter: number;
  /** Bob's page shows the message. */
  readonly arrived: number;
}

export const STAGE_NAMES: readonly (keyof ConnectStages)[] = [
  'signalingReady',
  'firstSignal',
  'peerConnection',
  'channelOpen',
  'handshakeDone',
  'enter',
  'arrived',
];

/** Reads the stages out of Alice's trace; undefined where a milestone is missing. */
export function stagesOf(
  alice: readonly TraceEvent[],
  loadAt: number,
  clickAt: number,
  arrivedAt: number,
): ConnectStages | undefined {
  const rel = (t: number | undefined) => (t === undefined ? undefined : t - clickAt);
  const open = firstAfter(alice, 'dc:open', loadAt);
  const s = {
    signalingReady: rel(firstAfter(alice, 'ws:in:register_ok', loadAt)),
    firstSignal: rel(firstAfter(alice, 'ws:out:signal', loadAt)),
    peerConnection: rel(firstAfter(alice, 'pc:new', loadAt)),
    channelOpen: rel(open),
    handshakeDone:
      open === undefined
        ? undefined
        : rel(alice.filter((e) => e.t >= open && /^dc:(in|out):/.test(e.ev))[2]?.t),
    enter: rel(firstAfter(alice, 'key:Enter', clickAt)),
    arrived: arrivedAt - clickAt,
  };
  for (const v of Object.values(s)) if (v === undefined) return undefined;
  return s as ConnectStages;
}

/**
 * The fastest possible user, in the page: click the contact, and as soon as the chat is loaded
 * (its message list and field exist), put `text` in it and press Enter (the composer reads the field's value on the
 * keydown). Returns the click's time. Playwright's own click → fill → press sequence costs
 * 3 protocol round trips and actionability checks (150–300 ms on a loaded 2-vCPU machine) and
 * would otherwise be most of what the bench measures.
 */
export function typeAndSendScript(contact: string, text: string): string {
  return `new Promise((resolve, reject) => {
  const contact = ${JSON.stringify(contact)};
  const text = ${JSON.stringify(text)};
  const button = [...document.querySelectorAll('ul[aria-label="Contacts"] button')]
    .find((b) => (b.textContent || '').includes(contact));
  if (!button) { reject(new Error('no contact ' + contact)); return; }
  const at = performance.timeOrigin + performance.now();
  let done = false;
  const obs = new MutationObserver(() => {
    const field = document.getElementById('composer-text');
    // The composer shows before the chat has loaded, and a send then is refused ('not-open').
    if (done || !field || !document.querySelector('.messages')) return;
    done = true;
    obs.disconnect();
    field.focus();
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    resolve(at);
  });
  obs.observe(document.body, { childList: true, subtree: true });
  button.click();
})`;
}
