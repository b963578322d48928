// Handshake patterns as data (Noise rev34 §7): parsed from the spec notation in pattern-table.ts,
// then transformed by `psk` modifiers (§9.4). The handshake interpreter only ever sees the
// resulting token lists.

import { ONE_WAY_PATTERNS, PATTERN_TEXT } from './pattern-table.ts';
import { patternProblems } from './pattern-validity.ts';

/** §7.1 tokens; `psk` from §9.2. */
export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss' | 'psk';
export type PreToken = 'e' | 's';
/** `->` is initiator to responder, `<-` responder to initiator (§7.1). */
export type Direction = '->' | '<-';

export interface MessagePattern {
  readonly direction: Direction;
  readonly tokens: readonly Token[];
}

export interface HandshakePattern {
  /** Full pattern name with modifiers, e.g. `XXpsk0+psk1` (§8). */
  readonly name: string;
  readonly base: string;
  readonly modifiers: readonly string[];
  readonly initiatorPremessage: readonly PreToken[];
  readonly responderPremessage: readonly PreToken[];
  readonly messages: readonly MessagePattern[];
  /** §7.4: transport data flows initiator → responder only. */
  readonly oneWay: boolean;
  /** Number of `psk` tokens, i.e. how many PSKs each party must supply (§9.1). */
  readonly pskCount: number;
}

const TOKENS: ReadonlySet<string> = new Set(['e', 's', 'ee', 'es', 'se', 'ss', 'psk']);

function parseTokens(list: string): Token[] | undefined {
  const out: Token[] = [];
  for (const raw of list.split(',')) {
    const t = raw.trim();
    if (!TOKENS.has(t)) return undefined;
    out.push(t as Token);
  }
  return out;
}

/**
 * Parses one pattern written in the spec notation ("XX:\n  -> e\n  <- e, ee, s, es\n  -> s, se").
 * Returns undefined for anything that is not well-formed notation.
 */
export function parsePatternNotation(text: string): HandshakePattern | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const header = /^([A-Z][A-Z0-9]*):$/.exec(lines[0] ?? '');
  const base = header?.[1];
  if (base === undefined) return undefined;
  const body = lines.slice(1);
  const sep = body.indexOf('...');
  const preLines = sep === -1 ? [] : body.slice(0, sep);
  const msgLines = sep === -1 ? body : body.slice(sep + 1);

  const initiatorPremessage: PreToken[] = [];
  const responderPremessage: PreToken[] = [];
  for (const line of preLines) {
    const m = /^(->|<-) (.+)$/.exec(line);
    const tokens = m?.[2] === undefined ? undefined : parseTokens(m[2]);
    if (tokens === undefined || !tokens.every((t) => t === 'e' || t === 's')) return undefined;
    (m?.[1] === '->' ? initiatorPremessage : responderPremessage).push(...(tokens as PreToken[]));
  }
  const messages: MessagePattern[] = [];
  for (const line of msgLines) {
    const m = /^(->|<-) (.+)$/.exec(line);
    const tokens = m?.[2] === undefined ? undefined : parseTokens(m[2]);
    if (tokens === undefined) return undefined;
    messages.push({ direction: m?.[1] === '->' ? '->' : '<-', tokens });
  }
  if (messages.length === 0) return undefined;
  return {
    name: base,
    base,
    modifiers: [],
    initiatorPremessage,
    responderPremessage,
    messages,
    oneWay: ONE_WAY_PATTERNS.has(base),
    pskCount: countPsk(messages),
  };
}

function countPsk(messages: readonly MessagePattern[]): number {
  let n = 0;
  for (const m of messages) for (const t of m.tokens) if (t === 'psk') n++;
  return n;
}

let table: ReadonlyMap<string, HandshakePattern> | undefined;

/** The base patterns of the spec, keyed by name (N, NN, XX, X1K1, …). */
export function basePatterns(): ReadonlyMap<string, HandshakePattern> {
  if (table === undefined) {
    const map = new Map<string, HandshakePattern>();
    for (const block of PATTERN_TEXT.split(/\n\s*\n/)) {
      if (block.trim() === '') continue;
      const p = parsePatternNotation(block);
      // The table is our own constant: a parse failure is a programming error.
      if (p === undefined) throw new Error(`pattern table: cannot parse block "${block.trim()}"`);
      map.set(p.base, p);
    }
    table = map;
  }
  return table;
}

/**
 * §9.4: `pskN` puts a `psk` token at the start of the first message (N = 0) or at the end of
 * message N (N ≥ 1). Modifiers apply left to right, so `psk0+psk1` on NN gives `psk, e, psk`.
 */
function applyPsk(p: HandshakePattern, modifier: string): HandshakePattern | undefined {
  const m = /^psk(0|[1-9][0-9]*)$/.exec(modifier);
  if (m?.[1] === undefined) return undefined;
  const at = Number(m[1]);
  if (at > p.messages.length) return undefined;
  const messages = p.messages.map((msg, i) => {
    if (at === 0 && i === 0) return { direction: msg.direction, tokens: ['psk', ...msg.tokens] };
    if (at === i + 1) return { direction: msg.direction, tokens: [...msg.tokens, 'psk'] };
    return msg;
  }) as MessagePattern[];
  return { ...p, messages, pskCount: countPsk(messages) };
}

/**
 * Resolves a pattern name with modifiers (§8: `XX`, `XXpsk3`, `NNpsk0+psk2`). Returns undefined
 * for unknown base patterns, unknown modifiers (e.g. `fallback`, `hfs`), repeated modifiers, or
 * a result that breaks the validity rules (§7.3, §9.3).
 */
export function handshakePattern(name: string): HandshakePattern | undefined {
  const m = /^([A-Z][A-Z0-9]*)([a-z].*)?$/.exec(name);
  const baseName = m?.[1];
  if (baseName === undefined) return undefined;
  let p = basePatterns().get(baseName);
  if (p === undefined) return undefined;
  const modifiers = m?.[2] === undefined ? [] : m[2].split('+');
  if (new Set(modifiers).size !== modifiers.length) return undefined;
  for (const mod of modifiers) {
    const next = applyPsk(p, mod);
    if (next === undefined) return undefined;
    p = next;
  }
  const result: HandshakePattern = { ...p, name, modifiers };
  return patternProblems(result).length === 0 ? result : undefined;
}

/** Renders a pattern back into spec notation (for diagnostics and tests). */
export function formatPattern(p: HandshakePattern): string {
  const lines = [`${p.name}:`];
  if (p.initiatorPremessage.length > 0) lines.push(`  -> ${p.initiatorPremessage.join(', ')}`);
  if (p.responderPremessage.length > 0) lines.push(`  <- ${p.responderPremessage.join(', ')}`);
  if (lines.length > 1) lines.push('  ...');
  for (const msg of p.messages) lines.push(`  ${msg.direction} ${msg.tokens.join(', ')}`);
  return lines.join('\n');
}

/**
 * Exact size of a handshake message minus its payload (§5.3): `e` is DHLEN bytes, `s` DHLEN plus
 * a tag once a key exists, and the payload gains a tag once a key exists. `keyed` is HasKey()
 * before the message; in a PSK handshake `e` creates a key too (§9.2). Lets a too-large payload
 * be refused before any state changes.
 */
export function messageOverhead(tokens: readonly Token[], keyed: boolean, psk: boolean): number {
  const DHLEN = 32;
  const TAGLEN = 16;
  let hasKey = keyed;
  let len = 0;
  for (const t of tokens) {
    if (t === 'e') {
      len += DHLEN;
      if (psk) hasKey = true;
    } else if (t === 's') {
      len += DHLEN + (hasKey ? TAGLEN : 0);
    } else {
      hasKey = true;
    }
  }
  return len + (hasKey ? TAGLEN : 0);
}
