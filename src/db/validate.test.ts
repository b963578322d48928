import { describe, expect, it } from 'vitest';
import { previewOf } from './messages.ts';
import {
  asContactRecord,
  asIdentityRecord,
  asMessageRecord,
  asOutboxRecord,
  asSettingRecord,
  keepValid,
} from './validate.ts';

const KEY = 'ab'.repeat(32);

const contact = {
  key: KEY,
  name: 'Bob',
  addedAt: 1,
  verified: false,
  blocked: false,
  lastMessageAt: null,
  lastMessagePreview: '',
  unread: 0,
};

const message = {
  id: 'm1',
  contact: KEY,
  direction: 'out',
  text: 'hi',
  timestamp: 5,
  state: 'pending',
};

describe('db record validators', () => {
  it('accepts well-formed records unchanged', () => {
    expect(asContactRecord(contact)).toEqual(contact);
    expect(asMessageRecord(message)).toEqual(message);
    expect(asMessageRecord({ ...message, replyTo: 'm0' })).toEqual({ ...message, replyTo: 'm0' });
    expect(asOutboxRecord({ seq: 3, contact: KEY, messageId: 'm1', queuedAt: 2 })).toEqual({
      seq: 3,
      contact: KEY,
      messageId: 'm1',
      queuedAt: 2,
    });
    expect(asSettingRecord({ name: 'theme', value: 'dark' })).toEqual({
      name: 'theme',
      value: 'dark',
    });
    const bytes = new Uint8Array(33);
    expect(asIdentityRecord({ bytes, displayName: 'A', createdAt: 9 })).toEqual({
      bytes,
      displayName: 'A',
      createdAt: 9,
    });
  });

  it('rejects records of the wrong shape', () => {
    expect(asContactRecord(null)).toBeUndefined();
    expect(asContactRecord({ ...contact, key: KEY.toUpperCase() })).toBeUndefined();
    expect(asContactRecord({ ...contact, key: KEY.slice(2) })).toBeUndefined();
    expect(asContactRecord({ ...contact, unread: -1 })).toBeUndefined();
    expect(asContactRecord({ ...contact, unread: 1.5 })).toBeUndefined();
    expect(asContactRecord({ ...contact, verified: 'yes' })).toBeUndefined();
    expect(asMessageRecord({ ...message, state: 'lost' })).toBeUndefined();
    expect(asMessageRecord({ ...message, direction: 'sideways' })).toBeUndefined();
    expect(asMessageRecord({ ...message, id: '' })).toBeUndefined();
    expect(asMessageRecord({ ...message, timestamp: Number.NaN })).toBeUndefined();
    expect(asMessageRecord({ ...message, replyTo: 7 })).toBeUndefined();
    expect(asOutboxRecord({ contact: KEY, messageId: 'm1', queuedAt: 2 })).toBeUndefined();
    expect(asSettingRecord({ name: 'theme', value: 'purple' })).toBeUndefined();
    expect(asSettingRecord({ name: 'colour', value: 'dark' })).toBeUndefined();
    expect(asIdentityRecord({ bytes: [1, 2], displayName: 'A', createdAt: 9 })).toBeUndefined();
  });

  it('keeps the optional wire fields (v2) and checks them', () => {
    const wire = { ...message, wireId: 'ab'.repeat(16), receiptDue: 'read' };
    expect(asMessageRecord(wire)).toEqual(wire);
    expect(asMessageRecord({ ...message, wireId: 5 })).toBeUndefined();
    expect(asMessageRecord({ ...message, receiptDue: 'sent' })).toBeUndefined();
    const entry = { seq: 3, contact: KEY, messageId: 'm1', queuedAt: 2, sentIn: 'tag' };
    expect(asOutboxRecord(entry)).toEqual(entry);
    expect(asOutboxRecord({ ...entry, sentIn: 1 })).toBeUndefined();
    expect(asContactRecord({ ...contact, lastSeen: 7 })).toEqual({ ...contact, lastSeen: 7 });
    expect(asContactRecord({ ...contact, lastSeen: -1 })).toBeUndefined();
  });

  it('accepts a status setting of online/away/busy with a message of at most 140 characters', () => {
    const status = { name: 'status', value: { status: 'busy', text: 'x'.repeat(140) } };
    expect(asSettingRecord(status)).toEqual(status);
    expect(asSettingRecord({ name: 'status', value: { status: 'offline', text: '' } })).toBe(
      undefined,
    );
    expect(
      asSettingRecord({ name: 'status', value: { status: 'away', text: 'x'.repeat(141) } }),
    ).toBe(undefined);
    expect(asSettingRecord({ name: 'status', value: 'away' })).toBeUndefined();
  });

  it('keepValid drops only the bad records and keeps order', () => {
    const m2 = { ...message, id: 'm2' };
    expect(keepValid([message, { junk: true }, m2], asMessageRecord).map((m) => m.id)).toEqual([
      'm1',
      'm2',
    ]);
  });
});

describe('previewOf', () => {
  it('collapses whitespace', () => {
    expect(previewOf('  hello\n\n  world \t')).toBe('hello world');
  });
  it('cuts long text at 80 characters with an ellipsis', () => {
    const p = previewOf('x'.repeat(200));
    expect(p).toBe(`${'x'.repeat(79)}…`);
    expect(p.length).toBe(80);
  });
  it('keeps text of exactly 80 characters whole', () => {
    expect(previewOf('y'.repeat(80))).toBe('y'.repeat(80));
  });
});
