// Time as an injected dependency: heartbeat, rekey and handshake timeouts all read this clock so
// tests can move time forward instead of sleeping (common rule: no fixed sleeps).

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds; only differences matter, except for envelope timestamps (Unix ms). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

let systemTimerId = 0;
const systemTimers = new Map<number, ReturnType<typeof globalThis.setTimeout>>();

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    // Node returns an object and a browser a number; a map keeps the handle type our own.
    const id = ++systemTimerId;
    systemTimers.set(
      id,
      globalThis.setTimeout(() => {
        systemTimers.delete(id);
        callback();
      }, ms),
    );
    return { id };
  },
  clearTimeout(handle) {
    const raw = systemTimers.get(handle.id);
    if (raw === undefined) return;
    systemTimers.delete(handle.id);
    globalThis.clearTimeout(raw);
  },
};

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

export interface FakeClock extends Clock {
  /** Runs every timer due within `ms`, in deadline order (ties: creation order), then sets now. */
  advance(ms: number): void;
  /** Number of timers still armed. */
  pending(): number;
}

export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  let nextId = 1;
  let seq = 0;
  const timers = new Map<number, PendingTimer>();

  const nextDue = (limit: number): PendingTimer | undefined => {
    let best: PendingTimer | undefined;
    for (const t of timers.values()) {
      if (t.at > limit) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  };

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { id, at: now + Math.max(0, ms), seq: seq++, callback });
      return { id };
    },
    clearTimeout(handle) {
      timers.delete(handle.id);
    },
    advance(ms) {
      const target = now + ms;
      // Timers armed by a callback that fall inside the window also run, like real time would.
      for (let t = nextDue(target); t !== undefined; t = nextDue(target)) {
        timers.delete(t.id);
        now = t.at;
        t.callback();
      }
      now = target;
    },
    pending: () => timers.size,
  };
}
