// How a Key object's sockets end: kicks with a reason, closes from either side, the IP slot
// released exactly once, and the alarm sweep for expired challenges and owed closes.
import { ErrorCode } from '../../src/crypto/errors.ts';
import { CloseCode, type ServerMessage } from '../../src/signaling/protocol.ts';
import type { Env } from './config.ts';
import type { SocketTable } from './socket-table.ts';
import { closeSocket, sendMessage } from './sockets.ts';

/**
 * A kicked socket gets its reason frame at once and this long to close by itself before the
 * object closes it. Closing from our side outside that socket's own message event (alarm, RPC)
 * leaves the TCP teardown waiting on the object's idle timer in workerd, so a cooperative
 * client closing first is what makes kicks prompt.
 */
export const KICK_GRACE_MS = 2000;

export type EndFrame = Extract<ServerMessage, { type: 'error' | 'register_failed' }> & {
  close: number;
};

export class Lifecycle {
  /** The earliest alarm this instance has set or seen, so most calls need no storage read. */
  private alarmAt: number | null | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly sockets: SocketTable,
  ) {}

  /**
   * Ends a socket's session: sends the reason frame, stops processing its messages and frees its
   * IP slot at once. `now` closes the transport immediately (only inside that socket's own
   * message event); `grace` leaves KICK_GRACE_MS for the client to close, then the alarm does.
   */
  async end(ws: WebSocket, frame: EndFrame, when: 'now' | 'grace'): Promise<boolean> {
    const att = this.sockets.get(ws);
    if (!att || att.state === 'closed') return false;
    const owed = { at: Date.now() + KICK_GRACE_MS, code: frame.close, reason: frame.message };
    this.sockets.set(ws, { state: 'closed', key: att.key, ip: att.ip, origin: att.origin, owed });
    sendMessage(ws, frame);
    this.releaseIp(att.key, att.ip);
    if (when === 'now') closeSocket(ws, owed.code, owed.reason);
    else await this.scheduleAlarm(owed.at);
    return true;
  }

  releaseIp(key: string, ip: string): void {
    if (!ip) return;
    this.env.IPS.get(this.env.IPS.idFromName(ip))
      .release(key)
      .catch(() => undefined);
  }

  /** The peer closed (code) or the socket failed (undefined). */
  closed(ws: WebSocket, code: number | undefined): void {
    const att = this.sockets.get(ws);
    if (att && att.state !== 'closed') this.releaseIp(att.key, att.ip);
    if (att) {
      this.sockets.set(ws, {
        state: 'closed',
        key: att.key,
        ip: att.ip,
        origin: att.origin,
        owed: null,
      });
    }
    // Complete the closing handshake (RFC 6455 §5.5.1); 1005/1006 may not be sent on the wire.
    if (code !== undefined) closeSocket(ws, code === 1005 || code === 1006 ? 1000 : code, '');
    this.sockets.forget(ws);
  }

  async scheduleAlarm(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    const cur = this.alarmAt;
    if (cur !== null && cur <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** The alarm handler runs: forget what we knew (a failed handler is retried by the runtime). */
  alarmFired(): void {
    this.alarmAt = undefined;
  }

  /** Sets the alarm to exactly `at` (the sweep's own re-arming). */
  async rearm(at: number): Promise<void> {
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** Expires challenges and performs owed closes; returns when it next needs to run. */
  async sweep(now: number): Promise<number> {
    let next = Number.POSITIVE_INFINITY;
    for (const { ws, att } of this.sockets.inState('challenged')) {
      if (att.expiresAt > now) {
        next = Math.min(next, att.expiresAt);
        continue;
      }
      const frame: EndFrame = {
        type: 'register_failed',
        code: ErrorCode.AUTHENTICATION_FAILED,
        message: 'challenge expired',
        close: CloseCode.CHALLENGE_EXPIRED,
      };
      await this.end(ws, frame, 'grace');
      next = Math.min(next, now + KICK_GRACE_MS);
    }
    for (const { ws, att } of this.sockets.inState('closed')) {
      if (!att.owed) continue;
      if (att.owed.at > now) next = Math.min(next, att.owed.at);
      else {
        closeSocket(ws, att.owed.code, att.owed.reason);
        this.sockets.set(ws, { ...att, owed: null });
      }
    }
    this.sockets.reconcile();
    return next;
  }
}
