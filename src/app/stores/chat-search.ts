// Search in the open chat: the query's matches (from storage, not only the loaded page), and the
// message the user jumped to, highlighted in the list until the next jump or search.

import { createSignal } from 'solid-js';
import { searchMessages } from '../../db/messages.ts';
import type { MessageRecord } from '../../db/schema.ts';
import { loadOlder } from './chat.ts';
import { chatState } from './chat-view.ts';

export type SearchState =
  | { readonly status: 'idle' }
  | { readonly status: 'searching'; readonly contact: string; readonly query: string }
  | {
      readonly status: 'done';
      readonly contact: string;
      readonly query: string;
      readonly matches: readonly MessageRecord[];
      readonly capped: boolean;
    }
  | { readonly status: 'failed'; readonly contact: string; readonly query: string };

const [searchState, setSearchState] = createSignal<SearchState>({ status: 'idle' });
const [highlighted, setHighlighted] = createSignal<string | undefined>(undefined);

export { highlighted, searchState };

/** Runs a search; a slower earlier search that finishes late does not overwrite a newer one. */
export async function runSearch(contact: string, query: string): Promise<void> {
  if (query.trim() === '') {
    setSearchState({ status: 'idle' });
    return;
  }
  const mine: SearchState = { status: 'searching', contact, query };
  setSearchState(mine);
  try {
    const r = await searchMessages(contact, query);
    if (searchState() !== mine) return;
    setSearchState({ status: 'done', contact, query, ...r });
  } catch {
    if (searchState() === mine) setSearchState({ status: 'failed', contact, query });
  }
}

export function clearSearch(): void {
  setSearchState({ status: 'idle' });
  setHighlighted(undefined);
}

function isLoaded(id: string): boolean {
  const s = chatState();
  return s.status === 'open' && s.messages.some((m) => m.id === id);
}

export type JumpResult = 'shown' | 'not-found';

/**
 * Makes the message part of the loaded history — loading older pages until it is, since a match
 * can be far back — and marks it highlighted. The screen scrolls it into view.
 */
export async function jumpToMessage(id: string): Promise<JumpResult> {
  for (;;) {
    if (isLoaded(id)) {
      setHighlighted(id);
      return 'shown';
    }
    const s = chatState();
    if (s.status !== 'open' || !s.more) return 'not-found';
    const before = s.messages.length;
    await loadOlder();
    const now = chatState();
    // Nothing new arrived (chat closed or storage failed): stop rather than loop forever.
    if (now.status !== 'open' || now.messages.length === before) return 'not-found';
  }
}
