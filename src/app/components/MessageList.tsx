import { createEffect, For, on, Show } from 'solid-js';
import type { MessageRecord } from '../../db/schema.ts';
import { loadOlder } from '../stores/chat.ts';
import { MessageBubble } from './MessageBubble.tsx';

/** A chat's messages, oldest at the top; follows new messages to the bottom. */
export function MessageList(props: {
  messages: readonly MessageRecord[];
  more: boolean;
  onReply: (id: string) => void;
}) {
  let end: HTMLDivElement | undefined;
  // Scroll only when a message is added at the end, not when older ones are loaded above.
  createEffect(
    on(
      () => props.messages[props.messages.length - 1]?.id,
      () => end?.scrollIntoView({ block: 'end' }),
    ),
  );
  return (
    <div class="messages">
      <Show when={props.more}>
        <button type="button" class="btn small older" onClick={() => loadOlder()}>
          Load older messages
        </button>
      </Show>
      <Show
        when={props.messages.length > 0}
        fallback={<p class="hint empty-chat">No messages yet. Say hello!</p>}
      >
        <ol class="message-list" aria-label="Messages">
          <For each={props.messages}>
            {(m) => <MessageBubble message={m} onReply={props.onReply} />}
          </For>
        </ol>
      </Show>
      <div ref={end} />
    </div>
  );
}
