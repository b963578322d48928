import { createSignal, Show } from 'solid-js';
import { sendFiles } from '../files/actions.ts';
import { typing } from '../net/messaging.ts';
import { findMessage, MAX_MESSAGE_LENGTH, sendMessage } from '../stores/chat.ts';

type SendState = 'idle' | 'sending' | 'too-long' | 'failed';

/** Sends picked, pasted or dropped files; returns what to tell the user ('' when all went). */
export async function offerFiles(contact: string, files: readonly File[]): Promise<string> {
  if (files.length === 0) return '';
  try {
    const problems = await sendFiles(contact, files);
    return problems.map((p) => `${p.name} was not sent: ${p.reason}.`).join(' ');
  } catch {
    return 'The files could not be added to the chat.';
  }
}

/** The message field. Enter sends, Shift+Enter starts a new line. */
export function Composer(props: {
  contactKey: string;
  replyTo: string | undefined;
  onSent: () => void;
  onCancelReply: () => void;
  /** Files picked or pasted here (the chat also takes dropped ones). */
  onFiles: (files: readonly File[]) => Promise<void>;
  /** What happened to the last files, '' if nothing to say. */
  fileNote: string;
}) {
  const [state, setState] = createSignal<SendState>('idle');
  let field: HTMLTextAreaElement | undefined;
  let picker: HTMLInputElement | undefined;

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
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const input = e.currentTarget;
            void props.onFiles([...(input.files ?? [])]).then(() => {
              // The same file can be picked again.
              input.value = '';
            });
          }}
        />
        <button
          type="button"
          class="btn attach"
          aria-label="Attach files"
          title="Attach files"
          onClick={() => picker?.click()}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" class="icon">
            <path
              d="M16.5 6.5 8.4 14.6a2 2 0 0 0 2.8 2.8l8.1-8.1a4 4 0 0 0-5.6-5.6L5.5 11.8a6 6 0 0 0 8.5 8.5l6.5-6.5"
              fill="none"
              stroke="currentColor"
              stroke-width="2"
              stroke-linecap="round"
            />
          </svg>
        </button>
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
          onPaste={(e) => {
            const files = [...(e.clipboardData?.files ?? [])];
            if (files.length === 0) return;
            e.preventDefault();
            void props.onFiles(files);
          }}
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
        {props.fileNote}
      </p>
    </form>
  );
}
