// Validation of the community Noise test-vector format (cacophony / snow / noise-c): a file
// `{"vectors": [...]}`, every vector `unknown` until checked here.

import { fromHex } from '../bytes.ts';
import { type NoiseProtocol, parseProtocolName } from './protocol.ts';

export interface VectorMessage {
  readonly payload: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export interface VectorSide {
  readonly prologue: Uint8Array;
  readonly psks: readonly Uint8Array[];
  /** Private keys, as the format gives them. */
  readonly static: Uint8Array | undefined;
  readonly ephemeral: Uint8Array | undefined;
  readonly remoteStatic: Uint8Array | undefined;
  readonly remoteEphemeral: Uint8Array | undefined;
}

export interface NoiseVector {
  readonly name: string;
  readonly protocol: NoiseProtocol;
  readonly init: VectorSide;
  readonly resp: VectorSide;
  readonly messages: readonly VectorMessage[];
  readonly handshakeHash: Uint8Array | undefined;
}

export type VectorCheck =
  | { readonly kind: 'ok'; readonly vector: NoiseVector }
  | { readonly kind: 'skip'; readonly name: string; readonly reason: string }
  | { readonly kind: 'malformed'; readonly name: string; readonly reason: string };

const SIDE_FIELDS = [
  'prologue',
  'psks',
  'psk',
  'static',
  'ephemeral',
  'remote_static',
  'remote_ephemeral',
];
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'protocol_name',
  'name',
  'messages',
  'handshake_hash',
  ...SIDE_FIELDS.flatMap((f) => [`init_${f}`, `resp_${f}`]),
]);
const MESSAGE_FIELDS: ReadonlySet<string> = new Set(['payload', 'ciphertext']);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

class Malformed extends Error {}

function hex(rec: Record<string, unknown>, field: string): Uint8Array | undefined {
  const v = rec[field];
  if (v === undefined) return undefined;
  const bytes = typeof v === 'string' ? fromHex(v) : undefined;
  if (bytes === undefined) throw new Malformed(`${field} is not a hex string`);
  return bytes;
}

function side(rec: Record<string, unknown>, prefix: 'init' | 'resp'): VectorSide {
  const list = rec[`${prefix}_psks`];
  let psks: Uint8Array[] = [];
  if (list !== undefined) {
    if (!Array.isArray(list)) throw new Malformed(`${prefix}_psks is not an array`);
    psks = list.map((p, i) => {
      const b = typeof p === 'string' ? fromHex(p) : undefined;
      if (b === undefined) throw new Malformed(`${prefix}_psks[${i}] is not a hex string`);
      return b;
    });
  }
  // Older files carry a single PSK.
  const single = hex(rec, `${prefix}_psk`);
  if (single !== undefined) psks = [...psks, single];
  return {
    prologue: hex(rec, `${prefix}_prologue`) ?? new Uint8Array(0),
    psks,
    static: hex(rec, `${prefix}_static`),
    ephemeral: hex(rec, `${prefix}_ephemeral`),
    remoteStatic: hex(rec, `${prefix}_remote_static`),
    remoteEphemeral: hex(rec, `${prefix}_remote_ephemeral`),
  };
}

function messages(rec: Record<string, unknown>): VectorMessage[] {
  const list = rec.messages;
  if (!Array.isArray(list)) throw new Malformed('messages is not an array');
  return list.map((m: unknown, i) => {
    if (!isRecord(m)) throw new Malformed(`messages[${i}] is not an object`);
    const payload = hex(m, 'payload');
    const ciphertext = hex(m, 'ciphertext');
    if (payload === undefined || ciphertext === undefined) {
      throw new Malformed(`messages[${i}] lacks payload or ciphertext`);
    }
    return { payload, ciphertext };
  });
}

/** Classifies one vector: usable, skipped (unsupported or unknown fields) or malformed. */
export function checkVector(raw: unknown): VectorCheck {
  if (!isRecord(raw)) return { kind: 'malformed', name: '?', reason: 'vector is not an object' };
  const nameField = raw.protocol_name ?? raw.name;
  const name = typeof nameField === 'string' ? nameField : '?';
  if (typeof nameField !== 'string') return { kind: 'malformed', name, reason: 'no protocol name' };
  if (name.startsWith('NoisePSK_'))
    return { kind: 'skip', name, reason: 'obsolete NoisePSK_ prefix' };
  const protocol = parseProtocolName(name);
  if (protocol === undefined) return { kind: 'skip', name, reason: 'unsupported protocol' };
  const unknown = Object.keys(raw).filter((k) => !KNOWN_FIELDS.has(k));
  const list = raw.messages;
  if (Array.isArray(list)) {
    for (const m of list) {
      if (isRecord(m)) unknown.push(...Object.keys(m).filter((k) => !MESSAGE_FIELDS.has(k)));
    }
  }
  if (unknown.length > 0) {
    return { kind: 'skip', name, reason: `unknown field(s): ${[...new Set(unknown)].join(', ')}` };
  }
  try {
    return {
      kind: 'ok',
      vector: {
        name,
        protocol,
        init: side(raw, 'init'),
        resp: side(raw, 'resp'),
        messages: messages(raw),
        handshakeHash: hex(raw, 'handshake_hash'),
      },
    };
  } catch (e) {
    if (e instanceof Malformed) return { kind: 'malformed', name, reason: e.message };
    throw e;
  }
}

/** The vector list of a parsed file, or undefined if the file is not in this format. */
export function vectorList(data: unknown): readonly unknown[] | undefined {
  if (!isRecord(data) || !Array.isArray(data.vectors)) return undefined;
  return data.vectors;
}
