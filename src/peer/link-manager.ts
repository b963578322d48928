// All contact links of this identity: routes incoming signals to the right contact, ignores
// everyone else, and wakes the links when the way to reach peers may have come back.

import { ErrorCode, type PeerlineError } from '../crypto/errors.ts';
import type { ChatChannel } from './chat-channel.ts';
import { ContactLink } from './contact-link.ts';
import { Emitter } from './emitter.ts';
import { parseLinkSignal } from './link-signal.ts';
import type { LinkEnv, LinkState } from './link-types.ts';

export type { LinkEnv, LinkState } from './link-types.ts';

export interface ContactEntry {
  readonly key: string;
  readonly blocked: boolean;
}

export interface ManagerEvents {
  state: { readonly contact: string; readonly state: LinkState };
  channel: { readonly contact: string; readonly channel: ChatChannel | undefined };
}

export class LinkManager {
  private readonly links = new Map<string, ContactLink>();
  private readonly blocked = new Set<string>();
  private readonly events = new Emitter<ManagerEvents>();
  private signalingUp = false;

  constructor(private readonly env: LinkEnv) {}

  on<K extends keyof ManagerEvents>(event: K, listener: (v: ManagerEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  state(contact: string): LinkState {
    if (this.blocked.has(contact)) return { kind: 'blocked' };
    return this.links.get(contact)?.state ?? { kind: 'idle' };
  }

  channel(contact: string): ChatChannel | undefined {
    return this.links.get(contact)?.channel;
  }

  /** The contact list changed: links for new contacts, blocks applied, deleted ones stopped. */
  setContacts(entries: readonly ContactEntry[]): void {
    const seen = new Set<string>();
    for (const { key, blocked } of entries) {
      seen.add(key);
      let link = this.links.get(key);
      if (!link) {
        link = this.create(key);
        if (!blocked && this.signalingUp) link.wake();
      }
      if (blocked && !this.blocked.has(key)) {
        this.blocked.add(key);
        link.block();
      } else if (!blocked && this.blocked.has(key)) {
        this.blocked.delete(key);
        link.unblock();
      }
    }
    for (const [key, link] of this.links) {
      if (seen.has(key)) continue;
      link.stop();
      this.links.delete(key);
      this.blocked.delete(key);
    }
  }

  /** A signal opened by the signaling client (sender verified against the Worker's `from`). */
  handleSignal(from: string, payload: Uint8Array, queued: boolean): void {
    const link = this.links.get(from);
    // Only contacts may reach us; blocked ones and strangers are ignored without an answer, so
    // a stranger cannot even learn that this address is online.
    if (!link || this.blocked.has(from)) return;
    const signal = parseLinkSignal(payload);
    if (signal) link.receive(signal, queued);
  }

  /** A signal that failed to open. A wrong signer for a contact's address is an attack. */
  handleRejected(from: string, error: PeerlineError): void {
    const link = this.links.get(from);
    if (!link || this.blocked.has(from)) return;
    if (error.code === ErrorCode.IDENTITY_MISMATCH) {
      link.refuse(error.code, 'a signal for this contact was signed by another key');
    }
  }

  /** Registered with the signaling server (again): try every contact not connected. */
  signalingReady(): void {
    this.signalingUp = true;
    this.wakeAll();
  }

  signalingDown(): void {
    this.signalingUp = false;
    for (const link of this.links.values()) link.signalingDown();
  }

  /** Network back, tab visible again, a message to send: try now rather than after backoff. */
  wakeAll(): void {
    if (!this.signalingUp) return;
    for (const [key, link] of this.links) if (!this.blocked.has(key)) link.wake();
  }

  wake(contact: string): void {
    if (this.signalingUp && !this.blocked.has(contact)) this.links.get(contact)?.wake();
  }

  /** After the security error: the user asks to try this contact again. */
  retry(contact: string): void {
    this.links.get(contact)?.retry();
  }

  stop(): void {
    for (const link of this.links.values()) link.stop();
    this.links.clear();
    this.blocked.clear();
    this.events.clear();
  }

  private create(key: string): ContactLink {
    const link = new ContactLink(key, this.env);
    link.on('state', (state) => this.events.emit('state', { contact: key, state }));
    link.on('channel', (channel) => this.events.emit('channel', { contact: key, channel }));
    this.links.set(key, link);
    return link;
  }
}
