import { lazy, Show, Suspense } from 'solid-js';
import type { MessageRecord } from '../../db/schema.ts';
import { findMessage } from '../stores/chat.ts';
import { highlighted } from '../stores/chat-search.ts';
import { fullTime, STATE_LABEL, shortTime } from '../text.ts';
import { MarkdownText } from './MarkdownText.tsx';

const FileBubble = lazy(() => import('./FileBubble.tsx').then((m) => ({ default: m.FileBubble })));

export function MessageBubble(props: { message: MessageRecord; onReply: (id: string) => void }) {
  const m = () => props.message;
  const quoted = () => (m().replyTo === undefined ? undefined : findMessage(m().replyTo ?? ''));
  return (
    <li
      id={`msg-${m().id}`}
      class={`bubble ${m().direction}${highlighted() === m().id ? ' highlight' : ''}`}
      data-state={m().state}
      // Focusable from script only: a jump from search moves focus to the message it shows.
      tabindex="-1"
    >
      <Show when={m().replyTo !== undefined}>
        <blockquote class="quote">{quoted()?.text ?? 'Earlier message'}</blockquote>
      </Show>
      <Show when={m().file !== undefined} fallback={<MarkdownText text={m().text} />}>
        <Suspense fallback={<p class="plain">{m().text}</p>}>
          <FileBubble message={m()} />
        </Suspense>
      </Show>
      <div class="bubble-meta">
        <time datetime={new Date(m().timestamp).toISOString()} title={fullTime(m().timestamp)}>
          {shortTime(m().timestamp)}
        </time>
        {/* A file's bubble shows the transfer's own status instead. */}
        <Show when={m().direction === 'out' && m().file === undefined}>
          <span class="state">{STATE_LABEL[m().state]}</span>
        </Show>
        <button
          type="button"
          class="link-btn"
          onClick={() => props.onReply(m().id)}
          aria-label={`Reply to message from ${shortTime(m().timestamp)}`}
        >
          Reply
        </button>
      </div>
    </li>
  );
}
