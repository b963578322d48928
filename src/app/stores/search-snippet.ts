// The line a search result shows: the part of the message around the match, the match marked.

import { foldForSearch } from '../../db/messages.ts';

export interface Snippet {
  readonly before: string;
  /** The matched text as written, '' when it cannot be located in the original. */
  readonly match: string;
  readonly after: string;
}

/** Characters of context shown before the match. */
const LEAD = 30;
const LENGTH = 120;

/**
 * Cuts `text` around the first occurrence of `query`. Search matches on NFKC-folded text, whose
 * offsets can differ from the original's (a ligature folds to two letters), so the match is
 * located again in the original, lower-cased only; when lower-casing changes the length or the
 * match exists only after folding, the start of the message is shown unmarked.
 */
export function snippetOf(text: string, query: string): Snippet {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLocaleLowerCase();
  const needle = foldForSearch(query.trim());
  const at = lower.length === flat.length && needle !== '' ? lower.indexOf(needle) : -1;
  if (at < 0) {
    const cut = flat.length > LENGTH;
    return { before: cut ? `${flat.slice(0, LENGTH - 1)}…` : flat, match: '', after: '' };
  }
  const start = Math.max(0, at - LEAD);
  const end = Math.min(flat.length, Math.max(at + needle.length, start + LENGTH));
  return {
    before: (start > 0 ? '…' : '') + flat.slice(start, at),
    match: flat.slice(at, at + needle.length),
    after: flat.slice(at + needle.length, end) + (end < flat.length ? '…' : ''),
  };
}
