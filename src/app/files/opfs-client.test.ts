import { describe, expect, it } from 'vitest';
import { OpfsClient, OpfsError, type WorkerLike } from './opfs-client.ts';
import type { OpfsRequest, OpfsResponse } from './opfs-protocol.ts';

class FakeWorker implements WorkerLike {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly sent: { message: OpfsRequest; transfer: Transferable[] }[] = [];
  postMessage(message: unknown, transfer: Transferable[]): void {
    this.sent.push({ message: message as OpfsRequest, transfer });
  }
  answer(r: OpfsResponse): void {
    this.onmessage?.({ data: r } as MessageEvent);
  }
}

describe('OpfsClient', () => {
  it('matches answers to requests by sequence number and reports progress', async () => {
    const w = new FakeWorker();
    const c = new OpfsClient(w);
    const seen: number[] = [];
    const file = new Blob([new Uint8Array(3)]);
    const imported = c.request({ op: 'import', id: 'a', file }, (b) => seen.push(b));
    const closed = c.request({ op: 'close', id: 'b' });
    expect(w.sent.map((s) => [s.message.seq, s.message.op])).toEqual([
      [1, 'import'],
      [2, 'close'],
    ]);
    w.answer({ seq: 2, kind: 'done' });
    w.answer({ seq: 1, kind: 'progress', bytes: 3 });
    w.answer({ seq: 1, kind: 'done', sha256: 'ff' });
    await expect(closed).resolves.toBeUndefined();
    await expect(imported).resolves.toBe('ff');
    expect(seen).toEqual([3]);
  });

  it('hands written data over and turns errors into OpfsError with the DOMException name', async () => {
    const w = new FakeWorker();
    const c = new OpfsClient(w);
    const data = new Uint8Array([1, 2, 3]);
    const written = c.request({ op: 'write', id: 'a', offset: 0, data });
    expect(w.sent[0]?.transfer).toEqual([data.buffer]);
    w.answer({ seq: 1, kind: 'error', name: 'QuotaExceededError' });
    const e = await written.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpfsError);
    expect((e as OpfsError).opName).toBe('QuotaExceededError');
  });

  it('fails everything in flight when the worker dies', async () => {
    const w = new FakeWorker();
    const c = new OpfsClient(w);
    const pending = c.request({ op: 'flush', id: 'a' });
    w.onerror?.({} as ErrorEvent);
    await expect(pending).rejects.toMatchObject({ opName: 'WorkerError' });
    // Later requests fail at once instead of waiting forever for a worker that is gone.
    expect(c.dead).toBe(true);
    const sentBefore = w.sent.length;
    await expect(c.request({ op: 'flush', id: 'a' })).rejects.toMatchObject({
      opName: 'WorkerError',
    });
    expect(w.sent.length).toBe(sentBefore);
  });
});
