// The message tagged union of PROTOCOL.md §5. Field names are the wire names (snake_case) so
// no mapping layer can drift from the spec.

export interface HelloPayload {
  readonly name?: string;
  readonly agent?: string;
}
export interface TextPayload {
  readonly text: string;
}
export type ReceiptStatus = 'delivered' | 'read';
export interface ReceiptPayload {
  readonly status: ReceiptStatus;
  readonly ids: readonly string[];
}
export interface TypingPayload {
  readonly typing: boolean;
}
export type PresenceStatus = 'online' | 'away' | 'busy' | 'offline';
export interface PresencePayload {
  readonly status: PresenceStatus;
  readonly text?: string;
  readonly last_seen?: number;
}
export interface SeqPayload {
  readonly seq: number;
}
export interface ClosePayload {
  readonly code: number;
  readonly reason: string;
}
export interface ErrorPayload {
  readonly code: number;
  readonly detail: string;
  readonly ref?: string;
}
export type EmptyPayload = Readonly<Record<never, never>>;

export interface PayloadByType {
  hello: HelloPayload;
  text: TextPayload;
  receipt: ReceiptPayload;
  typing: TypingPayload;
  presence: PresencePayload;
  ping: SeqPayload;
  pong: SeqPayload;
  close: ClosePayload;
  error: ErrorPayload;
  rekey: EmptyPayload;
  rehandshake: EmptyPayload;
}
export type MessageType = keyof PayloadByType;

export const MESSAGE_TYPES: readonly MessageType[] = [
  'hello',
  'text',
  'receipt',
  'typing',
  'presence',
  'ping',
  'pong',
  'close',
  'error',
  'rekey',
  'rehandshake',
];

/** Optional envelope fields a sender may set. */
export interface EnvelopeExtras {
  readonly reply_to?: string;
  readonly thread_id?: string;
  readonly expires_at?: number;
}

export type Message = {
  [T in MessageType]: EnvelopeExtras & {
    readonly id: string;
    readonly type: T;
    readonly timestamp: number;
    readonly payload: PayloadByType[T];
  };
}[MessageType];

export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

/** What a caller hands to Session.send(): the session adds id and timestamp. */
export type OutgoingMessage = {
  [T in MessageType]: EnvelopeExtras & { readonly type: T; readonly payload: PayloadByType[T] };
}[MessageType];

/** Types the session itself produces; an application sending them would corrupt its state. */
export const CONTROL_TYPES: ReadonlySet<MessageType> = new Set<MessageType>([
  'hello',
  'ping',
  'pong',
  'close',
  'error',
  'rekey',
  'rehandshake',
]);

export type AppMessageType = Exclude<
  MessageType,
  'hello' | 'ping' | 'pong' | 'close' | 'error' | 'rekey' | 'rehandshake'
>;
export type AppOutgoingMessage = Extract<OutgoingMessage, { type: AppMessageType }>;
