// An independent check of pattern-table.ts: the spec (rev34 §18, "deferred patterns") states
// rules that derive every one-way, fundamental and deferred pattern from its name. Running
// those rules here and comparing with the transcribed table catches a mistyped token in any
// of the 38 patterns, including deferred ones no public test vector covers.

import { describe, expect, it } from 'vitest';
import { basePatterns, formatPattern, type Token } from './pattern.ts';
import { DEFERRED, FUNDAMENTAL, ONE_WAY } from './test-support.ts';

type Party = 'i' | 'r';

function derive(name: string): string {
  const oneWay = name.length === 1;
  const iChar = name[0] ?? '';
  const rChar = oneWay ? 'K' : (name.replace(/1/g, '')[1] ?? '');
  const deferred = { i: /^.1/.test(name), r: /^.1?.1$/.test(name) };
  const pre = { i: iChar === 'K' ? ['s'] : [], r: rChar === 'K' ? ['s'] : [] };
  const has = {
    i: { e: false, s: pre.i.includes('s') },
    r: { e: false, s: pre.r.includes('s') },
  };
  const done = new Set<Token>();
  const messages: string[] = [];
  for (let n = 0; !(oneWay && n > 0); n++) {
    const me: Party = n % 2 === 0 ? 'i' : 'r';
    const first = n === 0;
    const tokens: Token[] = [];
    const skipped = new Set<Token>();
    // `who` names the party whose authentication a deferrable DH (se, es) provides.
    const dh = (t: Token, cond: boolean, who?: Party): boolean => {
      if (!cond || done.has(t) || skipped.has(t)) return false;
      if (who !== undefined && deferred[who]) {
        deferred[who] = false;
        skipped.add(t);
        return true;
      }
      done.add(t);
      tokens.push(t);
      return true;
    };
    const send = (k: 'e' | 's', cond: boolean): boolean => {
      if (!cond || has[me][k]) return false;
      has[me][k] = true;
      tokens.push(k);
      return true;
    };
    for (;;) {
      const applied =
        me === 'i'
          ? send('e', true) ||
            dh('ee', has.i.e && has.r.e) ||
            dh('se', has.i.s && has.r.e, 'i') ||
            dh('es', has.i.e && has.r.s, 'r') ||
            (first && !deferred.i && done.has('es') && dh('ss', has.i.s && has.r.s)) ||
            send('s', first && (iChar === 'I' || (oneWay && iChar === 'X'))) ||
            send('s', !first && iChar === 'X')
          : send('e', true) ||
            dh('ee', has.r.e && has.i.e) ||
            dh('se', has.r.e && has.i.s, 'i') ||
            dh('es', has.r.s && has.i.e, 'r') ||
            send('s', rChar === 'X');
      if (!applied) break;
    }
    if (tokens.length === 0) break;
    messages.push(`  ${me === 'i' ? '->' : '<-'} ${tokens.join(', ')}`);
  }
  const head = [...pre.i.map((t) => `  -> ${t}`), ...pre.r.map((t) => `  <- ${t}`)];
  return [`${name}:`, ...head, ...(head.length > 0 ? ['  ...'] : []), ...messages].join('\n');
}

describe('pattern table against the spec derivation rules', () => {
  it.each([...ONE_WAY, ...FUNDAMENTAL, ...DEFERRED])('%s', (name) => {
    const p = basePatterns().get(name);
    expect(p && formatPattern(p)).toBe(derive(name));
  });
});
