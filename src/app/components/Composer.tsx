import { createSignal, Show } from 'solid-js';
import { typing } from '../net/messaging.ts';
import { findMessage, MAX_MESSAGE_LENGTH, sendMessage } from '../stores/chat.ts';

type SendState = 'idle' | 'sending' | 'too-long' | 'failed';

/** The message field. Enter sends, Shift+Enter starts a new line. */
export function Composer(props: {
  contactKey: string;
  replyTo: string | undefined;
  onSent: () => void;
  onCancelReply: () => void;
}) {
  const [state, setState] = createSignal<SendState>('idle');
  let field: HTMLTextAreaElement | undefined;

  const send = async () => {
    if (!field || state() === 'sending') return;
    setState('sending');
    try {
      const result = await sendMessage(field.value, props.replyTo);
      if (result === 'queued') {
        field.value = '';
        props.onSent();
        setState('idle');
      } else setState(result === 'too-long' ? 'too-long' : 'idle');
    } catch {
      setState('failed');
    }
    field.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <Show when={props.replyTo}>
        {(id) => (
          <div class="reply-preview">
            <span>
              Replying to: <q>{findMessage(id())?.text ?? 'earlier message'}</q>
            </span>
            <button type="button" class="link-btn" onClick={() => props.onCancelReply()}>
              Cancel reply
            </button>
          </div>
        )}
      </Show>
      <div class="composer-row">
        <label for="composer-text" class="sr-only">
          Message
        </label>
        <textarea
          id="composer-text"
          ref={field}
          rows="2"
          placeholder="Message (markdown allowed)"
          aria-describedby="composer-status"
          onKeyDown={onKeyDown}
          onInput={() => {
            if (state() !== 'sending') setState('idle');
            if (field?.value.trim()) typing(props.contactKey);
          }}
        />
        <button type="submit" class="btn primary" disabled={state() === 'sending'}>
          Send
        </button>
      </div>
      <p id="composer-status" class="error" role="alert">
        <Show when={state() === 'too-long'}>
          Messages can be at most {MAX_MESSAGE_LENGTH} characters.
        </Show>
        <Show when={state() === 'failed'}>The message could not be saved.</Show>
      </p>
    </form>
  );
}
