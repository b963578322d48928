// What the signaling client needs from its environment, injectable so the same code runs in the
// browser (native WebSocket, real timers) and in Node (the `ws` package, fake clocks in tests).
import { ErrorCode, PeerlineError } from '../crypto/errors.ts';

/**
 * The subset of the WHATWG WebSocket the client uses. Listeners are declared as methods so both
 * the browser's WebSocket and the `ws` package's class satisfy it structurally.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (ev: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: () => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as Parameters<typeof globalThis.clearTimeout>[0]),
};

/** `globalThis.WebSocket` where it exists (browsers, Node ≥ 22); Node 20 must inject one. */
export function defaultWebSocket(): WebSocketConstructor {
  const ws: unknown = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof ws !== 'function') {
    throw new PeerlineError(ErrorCode.SERVER_UNAVAILABLE, 'no WebSocket implementation available');
  }
  return ws as WebSocketConstructor;
}

/** A PeerlineError that may tell when to retry (error 1004 from the Worker). */
export class SignalingError extends PeerlineError {
  readonly retryAfter: number | undefined;

  constructor(
    code: ConstructorParameters<typeof PeerlineError>[0],
    detail: string,
    retryAfter?: number,
  ) {
    super(code, detail);
    this.name = 'SignalingError';
    this.retryAfter = retryAfter;
  }
}
