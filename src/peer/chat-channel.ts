// The chat's view of a connected session: typed calls for the application messages of
// PROTOCOL.md §5 (text, receipt, typing, presence) and one event stream of what the peer said.
// The app never builds envelopes itself, so wire names stay in src/peer.

import type { Message, PresenceStatus, ReceiptStatus } from './message-types.ts';
import type { Session } from './session-types.ts';

/** Receipt ids per message (PROTOCOL.md §5: 1–256). */
export const MAX_RECEIPT_IDS = 256;
/** How long a typing indicator lasts unless renewed (its `expires_at`). */
export const TYPING_TTL_MS = 6_000;

export interface Presence {
  readonly status: PresenceStatus;
  readonly text?: string;
  readonly lastSeen?: number;
}

export type ChatEvent =
  | { readonly kind: 'hello'; readonly name?: string }
  | {
      readonly kind: 'text';
      readonly id: string;
      readonly timestamp: number;
      readonly text: string;
      readonly replyTo?: string;
    }
  | { readonly kind: 'receipt'; readonly status: ReceiptStatus; readonly ids: readonly string[] }
  | { readonly kind: 'typing'; readonly typing: boolean; readonly expiresAt?: number }
  | { readonly kind: 'presence'; readonly presence: Presence };

function toEvent(m: Message): ChatEvent | undefined {
  switch (m.type) {
    case 'hello':
      return m.payload.name === undefined
        ? { kind: 'hello' }
        : { kind: 'hello', name: m.payload.name };
    case 'text': {
      const base = {
        kind: 'text' as const,
        id: m.id,
        timestamp: m.timestamp,
        text: m.payload.text,
      };
      return m.reply_to === undefined ? base : { ...base, replyTo: m.reply_to };
    }
    case 'receipt':
      return { kind: 'receipt', status: m.payload.status, ids: m.payload.ids };
    case 'typing':
      return m.expires_at === undefined
        ? { kind: 'typing', typing: m.payload.typing }
        : { kind: 'typing', typing: m.payload.typing, expiresAt: m.expires_at };
    case 'presence': {
      const p = m.payload;
      const presence: Presence = {
        status: p.status,
        ...(p.text === undefined ? {} : { text: p.text }),
        ...(p.last_seen === undefined ? {} : { lastSeen: p.last_seen }),
      };
      return { kind: 'presence', presence };
    }
    default:
      // Session control (ping, close, error, …) is the session's business.
      return undefined;
  }
}

export class ChatChannel {
  constructor(
    /** Public so the app can attach the file-transfer engine to this chat's session. */
    readonly session: Session,
    private readonly now: () => number,
  ) {}

  /** The peer's messages, in order. */
  on(listener: (e: ChatEvent) => void): () => void {
    return this.session.on('message', (m) => {
      const e = toEvent(m);
      if (e !== undefined) listener(e);
    });
  }

  /**
   * Resolves with the message id once the message is written to the channel. A resend passes
   * the id of the first attempt so the peer recognises it.
   */
  sendText(text: string, replyTo?: string, id?: string): Promise<string> {
    const payload = { text };
    return this.session.send(
      replyTo === undefined
        ? { type: 'text', payload }
        : { type: 'text', payload, reply_to: replyTo },
      id === undefined ? undefined : { id },
    );
  }

  async sendReceipt(status: ReceiptStatus, ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
      await this.session.send({
        type: 'receipt',
        payload: { status, ids: ids.slice(i, i + MAX_RECEIPT_IDS) },
      });
    }
  }

  async sendTyping(typing: boolean): Promise<void> {
    await this.session.send({
      type: 'typing',
      payload: { typing },
      expires_at: this.now() + TYPING_TTL_MS,
    });
  }

  async sendPresence(p: Presence): Promise<void> {
    await this.session.send({
      type: 'presence',
      payload: {
        status: p.status,
        ...(p.text === undefined || p.text === '' ? {} : { text: p.text }),
        ...(p.lastSeen === undefined ? {} : { last_seen: p.lastSeen }),
      },
    });
  }
}
