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

/** §13 file transfer. `id` is the transfer id (32 lowercase hex), also the chunks' stream_id. */
export interface FileOfferPayload {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
  readonly sha256: string;
  readonly chunk_size: number;
}
export interface FileIdPayload {
  readonly id: string;
}
/** file_accept and file_start: the run's first chunk index. */
export interface FileFromPayload {
  readonly id: string;
  readonly from: number;
}
export interface FileAckPayload {
  readonly id: string;
  readonly next: number;
}
export interface FileCancelPayload {
  readonly id: string;
  readonly code: number;
  readonly reason?: string;
}

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
  file_offer: FileOfferPayload;
  file_accept: FileFromPayload;
  file_decline: FileIdPayload;
  file_ack: FileAckPayload;
  file_pause: FileIdPayload;
  file_resume: FileIdPayload;
  file_cancel: FileCancelPayload;
  file_done: FileIdPayload;
  file_start: FileFromPayload;
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
  'file_offer',
  'file_accept',
  'file_decline',
  'file_ack',
  'file_pause',
  'file_resume',
  'file_cancel',
  'file_done',
  'file_start',
];

export type FileMessageType = Extract<MessageType, `file_${string}`>;

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
