import '../styles/search.css';
import { For, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { MessageRecord } from '../../db/schema.ts';
import { clearSearch, jumpToMessage, runSearch, searchState } from '../stores/chat-search.ts';
import { snippetOf } from '../stores/search-snippet.ts';
import { fullTime, shortTime } from '../text.ts';

/** Typing pauses this long before a search starts: one scan per word, not per key. */
const TYPING_PAUSE_MS = 250;

/**
 * Search in one chat. Lazy-loaded with the chat's Search button: the first screen never needs it.
 * Results come from storage, so messages older than the loaded page are found too.
 */
export function ChatSearch(props: {
  contactKey: string;
  contactName: string;
  onClose: () => void;
}) {
  let field: HTMLInputElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = () => {
    clearTimeout(timer);
    void runSearch(props.contactKey, field?.value ?? '');
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(search, TYPING_PAUSE_MS);
  };
  onMount(() => field?.focus());
  onCleanup(() => {
    clearTimeout(timer);
    clearSearch();
  });

  const jump = async (m: MessageRecord) => {
    if ((await jumpToMessage(m.id)) !== 'shown') return;
    const el = document.getElementById(`msg-${m.id}`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
  };

  const done = () => {
    const s = searchState();
    return s.status === 'done' && s.contact === props.contactKey ? s : undefined;
  };

  return (
    <search class="chat-search" aria-label="Search in this chat">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <label for="chat-search-input">Search in this chat</label>
        <div class="search-row">
          <input
            id="chat-search-input"
            ref={field}
            type="search"
            autocomplete="off"
            enterkeyhint="search"
            onInput={later}
            onKeyDown={(e) => {
              if (e.key === 'Escape') props.onClose();
            }}
          />
          <button type="submit" class="btn small">
            Find
          </button>
          <button type="button" class="btn small" onClick={() => props.onClose()}>
            Close search
          </button>
        </div>
      </form>
      <p class="hint search-status" role="status">
        <Switch>
          <Match when={searchState().status === 'searching'}>Searching…</Match>
          <Match when={searchState().status === 'failed'}>The search failed. Try again.</Match>
          <Match when={done()}>
            {(s) => (
              <Show
                when={s().matches.length > 0}
                fallback={<>No messages contain “{s().query}”.</>}
              >
                {s().capped
                  ? `The ${s().matches.length} newest matches are shown; search for something more specific to find older ones.`
                  : `${s().matches.length} ${s().matches.length === 1 ? 'message' : 'messages'} found.`}
              </Show>
            )}
          </Match>
        </Switch>
      </p>
      <Show when={done()}>
        {(s) => (
          <Show when={s().matches.length > 0}>
            <ol class="search-results" aria-label="Search results">
              <For each={s().matches}>
                {(m) => {
                  const snip = snippetOf(m.text, s().query);
                  return (
                    <li>
                      <button type="button" class="search-hit" onClick={() => void jump(m)}>
                        <time
                          datetime={new Date(m.timestamp).toISOString()}
                          title={fullTime(m.timestamp)}
                        >
                          {shortTime(m.timestamp)}
                        </time>
                        <span class="search-from">
                          {m.direction === 'out' ? 'You' : props.contactName}
                        </span>
                        <span class="search-text">
                          {snip.before}
                          <Show when={snip.match !== ''}>
                            <mark>{snip.match}</mark>
                          </Show>
                          {snip.after}
                        </span>
                      </button>
                    </li>
                  );
                }}
              </For>
            </ol>
          </Show>
        )}
      </Show>
    </search>
  );
}
