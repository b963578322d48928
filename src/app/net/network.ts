// The app's connection to the world: one SignalingClient for this identity, one LinkManager for
// its contacts, and WebRTC data channels (src/peer/rtc.ts) with ICE servers from the Worker.
// Screens read the reactive state below; messaging.ts listens for chat channels.

import { createSignal } from 'solid-js';
import type { Identity } from '../../crypto/identity.ts';
import type { ChatChannel } from '../../peer/chat-channel.ts';
import { systemClock } from '../../peer/clock.ts';
import { type ContactEntry, LinkManager, type LinkState } from '../../peer/link-manager.ts';
import { encodeLinkSignal } from '../../peer/link-signal.ts';
import { createRtcLink } from '../../peer/rtc.ts';
import { DEFAULT_POLICY } from '../../signaling/backoff.ts';
import { type ClientState, type IceServers, SignalingClient } from '../../signaling/client.ts';
import { iceTransportPolicy, signalingUrl } from './config.ts';
import { holdTabLock } from './tab-lock.ts';

/** off: no identity; standby: another tab of this profile holds the connections; on: running. */
export type NetworkMode = 'off' | 'standby' | 'on';

const ATTEMPT_TIMEOUT_MS = 20_000;
/** Renew TURN credentials this long before they expire. */
const ICE_MARGIN_S = 60;

const [mode, setMode] = createSignal<NetworkMode>('off');
const [signaling, setSignaling] = createSignal<ClientState>({ kind: 'idle' });
const [links, setLinks] = createSignal<ReadonlyMap<string, LinkState>>(new Map());

export { mode as networkMode, signaling as signalingState };

export function linkState(contact: string): LinkState {
  return links().get(contact) ?? { kind: 'idle' };
}

type ChannelListener = (contact: string, channel: ChatChannel | undefined) => void;
const channelListeners = new Set<ChannelListener>();

/** Chat channels as they come and go; returns the unsubscribe function. */
export function onChannel(listener: ChannelListener): () => void {
  channelListeners.add(listener);
  return () => channelListeners.delete(listener);
}

interface Running {
  readonly client: SignalingClient;
  readonly manager: LinkManager;
  readonly cleanup: (() => void)[];
}

let running: Running | undefined;
let contactsNow: readonly ContactEntry[] = [];
let releaseLock: (() => void) | undefined;
let ice: IceServers | undefined;
/** The TURN credentials request in flight: a prefetch and an attempt share it. */
let iceLoading: Promise<IceServers | undefined> | undefined;

export function channelFor(contact: string): ChatChannel | undefined {
  return running?.manager.channel(contact);
}

function fetchIce(client: SignalingClient): Promise<IceServers | undefined> {
  if (ice && ice.expiresAt - ICE_MARGIN_S >= Date.now() / 1000) return Promise.resolve(ice);
  if (iceLoading) return iceLoading;
  // Settled after stopNetwork (another identity may run by then): the answer is dropped.
  const loading: Promise<IceServers | undefined> = client.iceServers().then(
    (fresh) => {
      if (iceLoading !== loading) return undefined;
      iceLoading = undefined;
      ice = fresh;
      return fresh;
    },
    () => {
      // No TURN (not configured, or the request failed): direct connections still work.
      if (iceLoading === loading) iceLoading = undefined;
      return undefined;
    },
  );
  iceLoading = loading;
  return loading;
}

async function iceServers(client: SignalingClient): Promise<RTCIceServer[]> {
  const current = await fetchIce(client);
  return (current?.iceServers ?? []).map((s) => ({
    urls: s.urls,
    username: s.username,
    credential: s.credential,
  }));
}

function run(identity: Identity, hello: () => { name: string }): Running {
  const cleanup: (() => void)[] = [];
  let client: SignalingClient | undefined;
  const manager = new LinkManager({
    identity,
    clock: systemClock,
    random: Math.random,
    policy: DEFAULT_POLICY,
    attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
    sendSignal: async (to, signal) => {
      if (!client) throw new Error('signaling not started');
      return (await client.send(to, encodeLinkSignal(signal))).status;
    },
    openTransport: async (initiator) => {
      const servers = client ? await iceServers(client) : [];
      return createRtcLink({
        initiator,
        iceServers: servers,
        iceTransportPolicy: iceTransportPolicy(),
      });
    },
    hello: () => ({ name: hello().name.slice(0, 64), agent: 'peerline-web/1' }),
  });
  let wasReady = false;
  client = new SignalingClient({
    url: signalingUrl(),
    identity: { publicKey: identity.edPublicKey, secretKey: identity.edSecretKey },
    onState: (s) => {
      setSignaling(s);
      if (s.kind === 'ready') {
        wasReady = true;
        manager.signalingReady();
        // TURN credentials before anyone needs them: an offer that arrives next (or ours, if
        // the call above made one and asked already) then waits for no round trip.
        if (client) void fetchIce(client);
      } else if (wasReady) {
        wasReady = false;
        manager.signalingDown();
      }
    },
    onSignal: (s) => manager.handleSignal(s.from, s.payload, s.queuedAt !== undefined),
    onRejected: (from, error) => manager.handleRejected(from, error),
  });
  cleanup.push(
    manager.on('state', ({ contact, state }) => {
      const next = new Map(links());
      next.set(contact, state);
      setLinks(next);
    }),
    manager.on('channel', ({ contact, channel }) => {
      for (const l of channelListeners) l(contact, channel);
    }),
  );
  // Network back, tab shown again (after a sleep, too), page restored from the back/forward
  // cache: the signaling connection skips its backoff (or proves itself with a ping) and every
  // contact not connected is tried now rather than after its backoff.
  const wake = () => {
    client?.wake();
    manager.wakeAll();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') wake();
  };
  const onShow = (e: PageTransitionEvent) => {
    if (e.persisted) wake();
  };
  // Leaving for good: close sessions now, so contacts see `close` instead of waiting for ICE to
  // time out (best effort: the page may be gone before the frames are out).
  const onLeave = (e: PageTransitionEvent) => {
    if (!e.persisted) stopNetwork();
  };
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('pageshow', onShow);
  window.addEventListener('pagehide', onLeave);
  cleanup.push(
    () => window.removeEventListener('online', wake),
    () => document.removeEventListener('visibilitychange', onVisible),
    () => window.removeEventListener('pageshow', onShow),
    () => window.removeEventListener('pagehide', onLeave),
  );
  manager.setContacts(contactsNow);
  // WebRTC's code (rtc.ts loads it on first use) is fetched and compiled while the signaling
  // connection registers, rather than between an offer and its answer.
  void import('@thaunknown/simple-peer/lite.js').catch(() => undefined);
  client.start();
  return { client, manager, cleanup };
}

/** Starts networking for `identity` once this tab holds the profile's network lock. */
export function startNetwork(identity: Identity, hello: () => { name: string }): void {
  if (mode() !== 'off') return;
  setMode('standby');
  releaseLock = holdTabLock(() => {
    if (mode() !== 'standby') return;
    running = run(identity, hello);
    setMode('on');
  });
}

export function stopNetwork(): void {
  if (running) {
    for (const f of running.cleanup) f();
    running.manager.stop();
    running.client.stop();
    running = undefined;
  }
  releaseLock?.();
  releaseLock = undefined;
  ice = undefined;
  iceLoading = undefined;
  setMode('off');
  setLinks(new Map());
  setSignaling({ kind: 'idle' });
}

/** The contact list changed (added, deleted, blocked, unblocked). */
export function syncContacts(entries: readonly ContactEntry[]): void {
  contactsNow = entries;
  running?.manager.setContacts(entries);
}

/** Something to send, or the chat was opened: connect now instead of after the backoff. */
export function wakeContact(contact: string): void {
  running?.manager.wake(contact);
}

/** The user read the security warning and wants to try again. */
export function retryContact(contact: string): void {
  running?.manager.retry(contact);
}
