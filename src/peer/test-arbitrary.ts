// fast-check generators of valid outgoing messages, shared by the message and session tests.

import fc from 'fast-check';
import { newMessageId } from './ids.ts';
import type { AppOutgoingMessage, EnvelopeExtras } from './message-types.ts';

// Composite graphemes may hold several code points: keep within the spec's code-point limits.
const shortText = (max: number) =>
  fc.string({ maxLength: max, unit: 'grapheme-composite' }).filter((s) => [...s].length <= max);
const msgId = fc.constant(null).map(() => newMessageId());

const extras: fc.Arbitrary<EnvelopeExtras> = fc.record(
  { reply_to: msgId, thread_id: shortText(20), expires_at: fc.nat() },
  { requiredKeys: [] },
);

export function arbitraryDraft(): fc.Arbitrary<AppOutgoingMessage> {
  const body = fc.oneof(
    fc.record({
      type: fc.constant('text' as const),
      payload: fc.record({ text: fc.string({ minLength: 1, maxLength: 400, unit: 'grapheme' }) }),
    }),
    fc.record({
      type: fc.constant('receipt' as const),
      payload: fc.record({
        status: fc.constantFrom('delivered' as const, 'read' as const),
        ids: fc.array(msgId, { minLength: 1, maxLength: 5 }),
      }),
    }),
    fc.record({
      type: fc.constant('typing' as const),
      payload: fc.record({ typing: fc.boolean() }),
    }),
    fc.record({
      type: fc.constant('presence' as const),
      payload: fc.record(
        {
          status: fc.constantFrom(
            'online' as const,
            'away' as const,
            'busy' as const,
            'offline' as const,
          ),
          text: shortText(40),
          last_seen: fc.nat(),
        },
        { requiredKeys: ['status'] },
      ),
    }),
  );
  return fc.tuple(body, extras).map(([b, x]) => ({ ...x, ...b }) as AppOutgoingMessage);
}
