import { describe, expect, it } from 'vitest';
import {
  isFinal,
  isLegalTransition,
  LEGAL_TRANSITIONS,
  type SessionState,
  type StateName,
  transition,
} from './session-state.ts';

const names: StateName[] = ['disconnected', 'connecting', 'authenticating', 'connected', 'closing'];
const sample = (name: StateName): SessionState => {
  switch (name) {
    case 'connected':
      return {
        name,
        peer: { edPublicKey: new Uint8Array(32), version: 1, features: [], maxFrame: 65535 },
      };
    case 'closing':
      return { name, reason: { code: 2003, detail: '', by: 'local' } };
    default:
      return { name };
  }
};

describe('session transitions (§7)', () => {
  it('the table is exactly the documented one', () => {
    expect(LEGAL_TRANSITIONS).toEqual({
      disconnected: ['connecting'],
      connecting: ['authenticating', 'disconnected'],
      authenticating: ['connected', 'disconnected'],
      connected: ['closing', 'disconnected'],
      closing: ['disconnected'],
    });
  });

  for (const from of names) {
    for (const to of names) {
      const legal = LEGAL_TRANSITIONS[from].includes(to);
      it(`${from} → ${to} is ${legal ? 'legal' : 'refused with 1015'}`, () => {
        if (legal) expect(transition(sample(from), sample(to))).toEqual(sample(to));
        else
          expect(() => transition(sample(from), sample(to))).toThrow(
            expect.objectContaining({ code: 1015 }),
          );
      });
    }
  }

  it('the final DISCONNECTED (with a reason) leads nowhere: sessions are single-use', () => {
    const final: SessionState = {
      name: 'disconnected',
      reason: { code: 2001, detail: '', by: 'remote' },
    };
    expect(isFinal(final)).toBe(true);
    expect(isLegalTransition(final, 'connecting')).toBe(false);
    expect(() => transition(final, { name: 'connecting' })).toThrow(
      expect.objectContaining({ code: 1015 }),
    );
  });
});
