import { describe, expect, it } from 'vitest';
import { NOT_PAUSED, runningStatus, type StatusEvent, transition } from './status.ts';
import type { TransferStatus } from './types.ts';

const S = {
  offered: { kind: 'offered' },
  active: { kind: 'active' },
  paused: { kind: 'paused', by: 'remote' },
  verifying: { kind: 'verifying' },
  complete: { kind: 'complete' },
  declined: { kind: 'declined', by: 'local' },
  cancelled: { kind: 'cancelled', by: 'remote', code: 3005 },
  failed: { kind: 'failed', code: 3003, detail: 'x' },
} satisfies Record<string, TransferStatus>;

const P = { local: true, remote: false };

describe('transfer status machine', () => {
  it('running status says who paused', () => {
    expect(runningStatus(NOT_PAUSED)).toEqual({ kind: 'active' });
    expect(runningStatus({ local: true, remote: false })).toEqual({ kind: 'paused', by: 'local' });
    expect(runningStatus({ local: false, remote: true })).toEqual({ kind: 'paused', by: 'remote' });
    expect(runningStatus({ local: true, remote: true })).toEqual({ kind: 'paused', by: 'both' });
  });

  const table: [keyof typeof S, StatusEvent, TransferStatus | undefined][] = [
    ['offered', { kind: 'accept', paused: NOT_PAUSED }, { kind: 'active' }],
    ['active', { kind: 'accept', paused: NOT_PAUSED }, undefined],
    ['offered', { kind: 'decline', by: 'remote' }, { kind: 'declined', by: 'remote' }],
    ['active', { kind: 'decline', by: 'remote' }, undefined],
    [
      'paused',
      { kind: 'cancel', by: 'local', code: 3005 },
      { kind: 'cancelled', by: 'local', code: 3005 },
    ],
    [
      'failed',
      { kind: 'cancel', by: 'local', code: 3005 },
      { kind: 'cancelled', by: 'local', code: 3005 },
    ],
    ['complete', { kind: 'cancel', by: 'local', code: 3005 }, undefined],
    ['cancelled', { kind: 'cancel', by: 'local', code: 3005 }, undefined],
    ['active', { kind: 'pause', paused: P }, { kind: 'paused', by: 'local' }],
    ['offered', { kind: 'pause', paused: P }, undefined],
    ['paused', { kind: 'verify' }, { kind: 'verifying' }],
    ['verifying', { kind: 'complete' }, { kind: 'complete' }],
    ['active', { kind: 'complete' }, { kind: 'complete' }],
    ['offered', { kind: 'complete' }, undefined],
    [
      'verifying',
      { kind: 'fail', code: 3004, detail: 'd' },
      { kind: 'failed', code: 3004, detail: 'd' },
    ],
    ['declined', { kind: 'fail', code: 3004, detail: 'd' }, undefined],
    ['failed', { kind: 'retry', paused: NOT_PAUSED }, { kind: 'active' }],
    ['active', { kind: 'retry', paused: NOT_PAUSED }, undefined],
    ['verifying', { kind: 'interrupted', paused: P }, { kind: 'paused', by: 'local' }],
    ['complete', { kind: 'interrupted', paused: P }, undefined],
  ];
  it.each(table)('%s + %j → %j', (from, event, to) => {
    expect(transition(S[from], event)).toEqual(to);
  });

  it('final statuses never move', () => {
    const events: StatusEvent[] = table.map(([, e]) => e);
    for (const s of [S.complete, S.declined, S.cancelled]) {
      for (const e of events) expect(transition(s, e)).toBeUndefined();
    }
  });
});
