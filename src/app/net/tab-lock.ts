// One tab per browser profile runs Peerline's connections: two tabs of the same identity would
// both answer every offer and tear each other's sessions down. The Web Locks API hands an
// exclusive lock to one tab and passes it on when that tab closes.

const LOCK_NAME = 'peerline-network';

/**
 * Calls `acquired` once this tab holds the lock (at once where Web Locks are missing) and
 * returns a function that releases it, or withdraws the request if still waiting.
 */
export function holdTabLock(acquired: () => void): () => void {
  const locks = (navigator as Partial<Pick<Navigator, 'locks'>>).locks;
  if (!locks) {
    acquired();
    return () => undefined;
  }
  const abort = new AbortController();
  let release: (() => void) | undefined;
  locks
    .request(LOCK_NAME, { signal: abort.signal }, () => {
      acquired();
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    })
    .catch(() => undefined); // AbortError when released before it was granted
  return () => {
    if (release) release();
    else abort.abort();
  };
}
