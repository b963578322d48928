// Runs async jobs one after another. The session keeps one per direction: outgoing, so that
// seq/nonce order equals wire order even though WebCrypto encrypts asynchronously; incoming,
// so frames are checked and decrypted strictly in arrival order (Noise §5.1: n is sequential).

const noop = (): void => undefined;

export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.then(noop, noop);
    return result;
  }

  /** Resolves once every job queued so far has settled. */
  idle(): Promise<void> {
    return this.tail;
  }
}
