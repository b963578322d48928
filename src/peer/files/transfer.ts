// What sender and receiver share: the record (replaced, never mutated), its persistence and
// events, and the link to the engine (current session, limits, the serial job queue).

import { type ErrorCodeNumber, PeerlineError } from '../../crypto/errors.ts';
import type { Session } from '../session-types.ts';
import { chunkCount } from './constants.ts';
import { type StatusEvent, transition } from './status.ts';
import type {
  FileMeta,
  PauseState,
  TransferEvents,
  TransferLimits,
  TransferRecord,
  TransferStorage,
} from './types.ts';
import type { FileOutgoing } from './wire.ts';

export interface EngineContext {
  readonly storage: TransferStorage;
  readonly limits: TransferLimits;
  now(): number;
  emit<K extends keyof TransferEvents>(event: K, value: TransferEvents[K]): void;
  /** The attached session while it is connected. */
  session(): Session | undefined;
  /** New work for the sender's pump (a run started, an ack opened the window, a resume). */
  wake(): void;
  /** Runs `job` in the engine's one serial queue (all state changes happen there). */
  enqueue(job: () => Promise<void>): void;
}

type Patch = Partial<Omit<TransferRecord, 'meta' | 'contact' | 'direction' | 'createdAt'>>;

export abstract class Transfer {
  constructor(
    protected readonly ctx: EngineContext,
    public record: TransferRecord,
  ) {}

  get id(): string {
    return this.record.meta.id;
  }

  get meta(): FileMeta {
    return this.record.meta;
  }

  /** Number of chunks. */
  get n(): number {
    return chunkCount(this.record.meta);
  }

  get paused(): PauseState {
    return this.record.paused;
  }

  /** Replaces the record, tells the UI, and (unless 'memory') stores it. */
  protected async commit(patch: Patch, persist: 'save' | 'memory' = 'save'): Promise<void> {
    this.record = { ...this.record, ...patch, updatedAt: this.ctx.now() };
    this.ctx.emit('update', this.record);
    if (persist === 'memory') return;
    try {
      await this.ctx.storage.save(this.record);
    } catch (cause) {
      this.error(3008, 'could not save the transfer record', cause);
    }
  }

  /** Applies a status event; false (nothing changed) where it does not apply. */
  protected async move(event: StatusEvent, patch: Patch = {}): Promise<boolean> {
    const next = transition(this.record.status, event);
    if (next === undefined) return false;
    await this.commit({ ...patch, status: next });
    return true;
  }

  protected send(message: FileOutgoing, id?: string): void {
    const s = this.ctx.session();
    // A lost session is the session's to report; the message goes again at the next attach.
    s?.send(message, id === undefined ? undefined : { id }).catch(() => undefined);
  }

  error(code: ErrorCodeNumber, detail: string, cause?: unknown): void {
    const error = new PeerlineError(code, detail, cause === undefined ? undefined : { cause });
    this.ctx.emit('error', { id: this.id, error });
  }

  /** Records a pause flag change; the status follows when the transfer is running. */
  protected async setPaused(paused: PauseState): Promise<void> {
    if (!(await this.move({ kind: 'pause', paused }, { paused }))) await this.commit({ paused });
  }

  /** The peer cancelled, or we did. Terminal; the file data goes. */
  async cancelled(by: 'local' | 'remote', code: number): Promise<boolean> {
    if (!(await this.move({ kind: 'cancel', by, code }))) return false;
    await this.release();
    await this.ctx.storage.discard(this.id).catch((cause: unknown) => {
      this.error(3008, 'could not discard the file', cause);
    });
    return true;
  }

  /** The user deletes a complete file: data first, so a failure leaves the file offered as is. */
  async removeData(): Promise<void> {
    await this.release();
    try {
      await this.ctx.storage.discard(this.id);
    } catch (cause) {
      throw new PeerlineError(3008, 'could not delete the file', { cause });
    }
    await this.commit({ removed: true });
  }

  /** Drops per-session state and open files (before discard, or at the end). */
  protected abstract release(): Promise<void>;
  /** A session came up: this side's resume initiative. */
  abstract attached(): Promise<void>;
  /** The session went: runs stop. */
  abstract detached(): Promise<void>;
}
