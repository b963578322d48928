// Recovery after the network goes away under a live chat: (a) Bob's network drops and comes
// back (a change of network), (b) Bob's machine sleeps and wakes up.
//
// Neither can be had from Playwright alone: `context.setOffline` only fails new HTTP requests
// and fires offline/online events — an open WebSocket and WebRTC traffic carry on untouched
// (checked in Chromium 156), and CDP `Page.setWebLifecycleState {state:'frozen'}` does not
// freeze a headless page (its timers keep running). So (a) routes Bob's signaling through a TCP
// gate and his WebRTC through a UDP gate in front of coturn (relay-only), and cuts both along
// with setOffline; (b) stops Bob's whole browser with SIGSTOP, as a suspended laptop is.

import { execFileSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type BrowserServer, chromium, expect, type Page, test } from '@playwright/test';
import { addByLink, baseURL, configure, newUser, onboard, workerUrl } from './app-helpers.ts';
import {
  bubbles,
  connection,
  expectConnected,
  instrumentPage,
  send,
  setHidden,
  texts,
  type User,
} from './chat-helpers.ts';

/** A TCP forwarder that can be cut: open connections are reset, new ones refused. */
class TcpGate {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private open = true;
  port = 0;

  constructor(private readonly upstreamPort: number) {
    this.server = createServer((client) => {
      if (!this.open) {
        client.destroy();
        return;
      }
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const addr = this.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no TCP port');
    this.port = addr.port;
  }

  set(open: boolean): void {
    this.open = open;
    if (!open) for (const s of this.sockets) s.resetAndDestroy();
  }

  async stop(): Promise<void> {
    this.set(false);
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/**
 * A UDP forwarder in front of coturn, one upstream socket per browser socket, as a NAT would
 * do. Cut: every packet is dropped and the mappings are forgotten (a new network).
 */
class UdpGate {
  private readonly socket: UdpSocket = createSocket('udp4');
  private readonly mappings = new Map<string, UdpSocket>();
  private open = true;
  port = 0;

  constructor(private readonly upstreamPort: number) {
    this.socket.on('message', (msg, from) => {
      if (!this.open) return;
      const key = `${from.address}:${from.port}`;
      let up = this.mappings.get(key);
      if (!up) {
        const mapped = createSocket('udp4');
        mapped.on('message', (reply) => {
          if (this.open && this.mappings.get(key) === mapped)
            this.socket.send(reply, from.port, from.address);
        });
        mapped.bind(0, '127.0.0.1');
        this.mappings.set(key, mapped);
        up = mapped;
      }
      up.send(msg, this.upstreamPort, '127.0.0.1');
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', r));
    this.port = this.socket.address().port;
  }

  set(open: boolean): void {
    this.open = open;
    if (open) return;
    for (const s of this.mappings.values()) s.close();
    this.mappings.clear();
  }

  stop(): void {
    this.set(false);
    this.socket.close();
  }
}

function turnPort(): number {
  const port = Number(process.env.PEERLINE_E2E_TURN_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('global setup started no coturn');
  return port;
}

/** Alice befriends `bob`; both end up connected in their chat with each other. */
async function chatting(alice: User, bob: User, route: 'direct' | 'relayed'): Promise<void> {
  await addByLink(alice.page, bob.link, bob.name);
  await addByLink(bob.page, alice.link, alice.name);
  await expectConnected(alice.page, route);
  await expectConnected(bob.page, route);
  await send(alice.page, 'before');
  await expect(bubbles(bob.page).last()).toContainText('before');
}

/** Waits until the chat header leaves 'connected' (the link was found dead). */
async function expectDropped(page: Page): Promise<void> {
  await expect(connection(page)).not.toHaveAttribute('data-state', 'connected', {
    timeout: 20_000,
  });
}

test('network change: Bob is cut off, Alice writes, Bob comes back: the chat recovers by itself', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const signalingGate = new TcpGate(Number(new URL(workerUrl()).port));
  const turnGate = new UdpGate(turnPort());
  await signalingGate.start();
  await turnGate.start();
  try {
    const a = await newUser(browser, { signaling: 'worker' });
    const alice: User = { ...a, name: 'Alice', ...(await onboard(a.page, 'Alice')) };
    // Bob reaches the Worker and coturn only through the gates, and only over TURN.
    const b = await newUser(browser, {
      signaling: `ws://127.0.0.1:${signalingGate.port}`,
      relayOnly: true,
    });
    await b.context.addInitScript(
      ({ from, to }) => {
        const Real = globalThis.RTCPeerConnection;
        globalThis.RTCPeerConnection = class extends Real {
          constructor(config?: RTCConfiguration) {
            const iceServers = (config?.iceServers ?? []).map((s) => ({
              ...s,
              urls: [s.urls].flat().map((u) => u.replace(from, to)),
            }));
            super({ ...config, iceServers });
          }
        };
      },
      { from: `127.0.0.1:${turnPort()}`, to: `127.0.0.1:${turnGate.port}` },
    );
    // Counts the signaling client's connection attempts (its backoff shows in their number).
    await b.context.addInitScript(() => {
      const Real = globalThis.WebSocket;
      const g = globalThis as { __sockets?: number };
      g.__sockets = 0;
      globalThis.WebSocket = class extends Real {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          g.__sockets = (g.__sockets ?? 0) + 1;
        }
      };
    });
    const bob: User = { ...b, name: 'Bob', ...(await onboard(b.page, 'Bob')) };
    await chatting(alice, bob, 'relayed');
    const sockets = () => bob.page.evaluate(() => (globalThis as { __sockets?: number }).__sockets);
    const before = await sockets();
    if (before === undefined) throw new Error('WebSocket not instrumented');

    await bob.context.setOffline(true);
    signalingGate.set(false);
    turnGate.set(false);
    // Written while nobody knows yet that the path is gone: it may be lost in flight.
    await send(alice.page, 'sent into the void');
    await expectDropped(alice.page);
    await expectDropped(bob.page);
    await send(alice.page, 'sent while you were away');
    await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'pending');
    // Four failed reconnects (after ~1, 2, 4 and 8 s): the next would wait 16 s ± 25 %.
    await expect.poll(sockets, { timeout: 30_000 }).toBe(before + 4);

    signalingGate.set(true);
    turnGate.set(true);
    const back = Date.now();
    // Fires `online`: the app must reconnect now, not when its backoff (12 s or more) runs out.
    await bob.context.setOffline(false);
    await expectConnected(bob.page, 'relayed', 5_000);
    await expectConnected(alice.page, 'relayed', 5_000);
    test.info().annotations.push({
      type: 'reconnected',
      description: `${Date.now() - back} ms after online`,
    });
    await expect(bubbles(bob.page)).toHaveCount(3);
    expect(await texts(bob.page)).toEqual([
      'before',
      'sent into the void',
      'sent while you were away',
    ]);
    await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'read');
    await send(bob.page, 'I am back');
    await expect(bubbles(alice.page).last()).toContainText('I am back');
    // Nothing twice: a reload shows what was stored.
    await bob.page.reload();
    await expect(bubbles(bob.page)).toHaveCount(4);
    expect(await texts(bob.page)).toEqual([
      'before',
      'sent into the void',
      'sent while you were away',
      'I am back',
    ]);
    await alice.context.close();
    await bob.context.close();
  } finally {
    await signalingGate.stop();
    turnGate.stop();
  }
});

/** The browser's process and all its descendants (zygotes, renderers, utilities). */
function processTree(root: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const [pid, ppid] of rows) if (ppid === out[i] && pid !== undefined) out.push(pid);
  }
  return out;
}

function signalAll(pids: readonly number[], sig: 'SIGSTOP' | 'SIGCONT'): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Exited meanwhile.
    }
  }
}

test('sleep: Bob’s machine is suspended past the grace period and wakes: messages flow both ways', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const launch = test.info().project.use.launchOptions ?? {};
  let server: BrowserServer | undefined;
  let stopped: number[] = [];
  try {
    server = await chromium.launchServer(launch);
    const pid = server.process().pid;
    if (pid === undefined) throw new Error('no browser pid');
    const bobBrowser = await chromium.connect(server.wsEndpoint());
    const context = await bobBrowser.newContext({ baseURL: baseURL() });
    await configure(context, { signaling: 'worker' });
    await instrumentPage(context);
    const page = await context.newPage();
    const bob: User = { context, page, name: 'Bob', ...(await onboard(page, 'Bob')) };
    const a = await newUser(browser, { signaling: 'worker' });
    const alice: User = { ...a, name: 'Alice', ...(await onboard(a.page, 'Alice')) };
    await chatting(alice, bob, 'direct');

    // The lid closes: the page is hidden, then every process of Bob's browser stops.
    await setHidden(bob.page, true);
    stopped = processTree(pid);
    signalAll(stopped, 'SIGSTOP');
    await send(alice.page, 'are you asleep?');
    await expectDropped(alice.page);
    const t1 = Date.now();
    signalAll(stopped, 'SIGCONT');
    stopped = [];
    await setHidden(bob.page, false);

    await expectConnected(bob.page, 'direct', 20_000);
    await expectConnected(alice.page, 'direct', 20_000);
    test.info().annotations.push({
      type: 'reconnected',
      description: `${Date.now() - t1} ms after waking`,
    });
    await expect(bubbles(bob.page)).toHaveCount(2);
    expect(await texts(bob.page)).toEqual(['before', 'are you asleep?']);
    await expect(bubbles(alice.page).last()).toHaveAttribute('data-state', 'read');
    await send(bob.page, 'awake now');
    await expect(bubbles(alice.page).last()).toContainText('awake now');
    await expect(bubbles(bob.page).last()).toHaveAttribute('data-state', 'read');
    expect(await texts(alice.page)).toEqual(['before', 'are you asleep?', 'awake now']);
    await alice.context.close();
    await context.close();
  } finally {
    signalAll(stopped, 'SIGCONT');
    await server?.close();
  }
});
