// Validators for the three Project Wycheproof schemas we ship (C2SP/wycheproof testvectors_v1:
// xdh_comp_schema_v1, eddsa_verify_schema_v1, aead_test_schema_v1). The fixtures come from
// outside the project, so every field is `unknown` until checked here; a malformed file throws,
// which fails the suite instead of quietly testing nothing.

import { fromHex } from '../bytes.ts';

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

interface CaseBase {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: WycheproofResult;
}

/** One XdhComp case: our private key, the peer's public key, the expected shared secret. */
export interface XdhCase extends CaseBase {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
  readonly shared: Uint8Array;
}

export interface EddsaCase extends CaseBase {
  readonly publicKey: Uint8Array;
  readonly msg: Uint8Array;
  readonly sig: Uint8Array;
}

export interface AeadCase extends CaseBase {
  readonly keySize: number;
  readonly ivSize: number;
  readonly tagSize: number;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly aad: Uint8Array;
  readonly msg: Uint8Array;
  readonly ct: Uint8Array;
  readonly tag: Uint8Array;
}

export interface VectorFile<C extends CaseBase> {
  readonly algorithm: string;
  /** The upstream file's count (kept verbatim even where groups were trimmed away). */
  readonly numberOfTests: number;
  /** Flag names the file's `notes` document. */
  readonly notes: ReadonlySet<string>;
  readonly cases: readonly C[];
}

type Json = Record<string, unknown>;

function isRecord(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function record(x: unknown, where: string): Json {
  if (!isRecord(x)) throw new Error(`${where}: expected an object`);
  return x;
}

function list(x: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(x)) throw new Error(`${where}: expected an array`);
  return x;
}

function str(rec: Json, field: string, where: string): string {
  const v = rec[field];
  if (typeof v !== 'string') throw new Error(`${where}.${field}: expected a string`);
  return v;
}

function int(rec: Json, field: string, where: string): number {
  const v = rec[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new Error(`${where}.${field}: expected an integer`);
  }
  return v;
}

function hex(rec: Json, field: string, where: string): Uint8Array {
  const bytes = fromHex(str(rec, field, where));
  if (bytes === undefined) throw new Error(`${where}.${field}: expected hex`);
  return bytes;
}

function result(rec: Json, where: string): WycheproofResult {
  const r = str(rec, 'result', where);
  if (r !== 'valid' && r !== 'invalid' && r !== 'acceptable') {
    throw new Error(`${where}.result: unknown result "${r}"`);
  }
  return r;
}

function caseBase(rec: Json, where: string, notes: ReadonlySet<string>): CaseBase {
  const flags = list(rec.flags, `${where}.flags`).map((f) => {
    if (typeof f !== 'string') throw new Error(`${where}.flags: expected strings`);
    // Every flag must be documented in `notes`: the tests map flags to expectations by name.
    if (!notes.has(f)) throw new Error(`${where}.flags: "${f}" is not in notes`);
    return f;
  });
  return {
    tcId: int(rec, 'tcId', where),
    comment: str(rec, 'comment', where),
    flags,
    result: result(rec, where),
  };
}

/** Walks `testGroups[].tests[]`, handing each case to `parseCase` with its group. */
function parseFile<C extends CaseBase>(
  json: unknown,
  algorithm: string,
  parseCase: (group: Json, test: Json, base: CaseBase, where: string) => C,
): VectorFile<C> {
  const root = record(json, 'file');
  if (str(root, 'algorithm', 'file') !== algorithm) {
    throw new Error(`file.algorithm: expected ${algorithm}`);
  }
  const notes = new Set(Object.keys(record(root.notes, 'file.notes')));
  const cases: C[] = [];
  list(root.testGroups, 'file.testGroups').forEach((g, gi) => {
    const group = record(g, `testGroups[${gi}]`);
    list(group.tests, `testGroups[${gi}].tests`).forEach((t, ti) => {
      const where = `testGroups[${gi}].tests[${ti}]`;
      const test = record(t, where);
      cases.push(parseCase(group, test, caseBase(test, where, notes), where));
    });
  });
  return { algorithm, numberOfTests: int(root, 'numberOfTests', 'file'), notes, cases };
}

export function parseXdhFile(json: unknown): VectorFile<XdhCase> {
  return parseFile(json, 'XDH', (group, test, base, where) => {
    if (str(group, 'curve', 'group') !== 'curve25519') throw new Error(`${where}: not curve25519`);
    return {
      ...base,
      publicKey: hex(test, 'public', where),
      privateKey: hex(test, 'private', where),
      shared: hex(test, 'shared', where),
    };
  });
}

export function parseEddsaFile(json: unknown): VectorFile<EddsaCase> {
  return parseFile(json, 'EDDSA', (group, test, base, where) => {
    const pk = record(group.publicKey, `${where} group.publicKey`);
    if (str(pk, 'curve', 'publicKey') !== 'edwards25519') {
      throw new Error(`${where}: not edwards25519`);
    }
    return {
      ...base,
      publicKey: hex(pk, 'pk', 'publicKey'),
      msg: hex(test, 'msg', where),
      sig: hex(test, 'sig', where),
    };
  });
}

export function parseAeadFile(json: unknown): VectorFile<AeadCase> {
  return parseFile(json, 'AES-GCM', (group, test, base, where) => {
    const c: AeadCase = {
      ...base,
      keySize: int(group, 'keySize', 'group'),
      ivSize: int(group, 'ivSize', 'group'),
      tagSize: int(group, 'tagSize', 'group'),
      key: hex(test, 'key', where),
      iv: hex(test, 'iv', where),
      aad: hex(test, 'aad', where),
      msg: hex(test, 'msg', where),
      ct: hex(test, 'ct', where),
      tag: hex(test, 'tag', where),
    };
    // The group sizes are in bits and must describe the bytes, or a trimmed copy went wrong.
    if (c.key.length * 8 !== c.keySize || c.iv.length * 8 !== c.ivSize) {
      throw new Error(`${where}: key/iv length disagrees with the group`);
    }
    if (c.tag.length * 8 !== c.tagSize || c.ct.length !== c.msg.length) {
      throw new Error(`${where}: tag/ct length disagrees with the group`);
    }
    return c;
  });
}
