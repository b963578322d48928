import { createSignal, Show } from 'solid-js';
import type { ParseFailure } from '../../crypto/contact-link.ts';
import { checkContactInput, openContactInput } from '../stores/link-intake.ts';
import { INPUT_PROBLEM } from '../text.ts';
import { ScreenHeader } from './ScreenHeader.tsx';

/** Paste a link or key. An invalid link that was opened lands here with its problem shown. */
export function AddContact(props: { input: string }) {
  const initial = props.input === '' ? undefined : checkContactInput(props.input);
  const [problem, setProblem] = createSignal<ParseFailure | undefined>(
    initial && !initial.ok ? initial.reason : undefined,
  );
  let field: HTMLTextAreaElement | undefined;

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const text = field?.value ?? '';
    const r = checkContactInput(text);
    if (r.ok) openContactInput(text);
    else {
      setProblem(r.reason);
      field?.focus();
    }
  };

  return (
    <section class="card" aria-labelledby="add-title">
      <ScreenHeader id="add-title" title="Add contact" />
      <form onSubmit={submit} novalidate>
        <label for="contact-input">Their Peerline link or key</label>
        <p id="contact-input-hint" class="hint">
          It looks like <span class="mono">https://…/#</span> followed by 64 characters.
        </p>
        <textarea
          id="contact-input"
          ref={field}
          rows="3"
          spellcheck={false}
          autocapitalize="off"
          autocomplete="off"
          aria-describedby="contact-input-hint contact-input-error"
          aria-invalid={problem() !== undefined}
          onInput={() => setProblem(undefined)}
        >
          {props.input}
        </textarea>
        <p id="contact-input-error" class="error" role="alert">
          <Show when={problem()}>{(p) => INPUT_PROBLEM[p()]}</Show>
        </p>
        <button type="submit" class="btn primary">
          Continue
        </button>
      </form>
      <p class="hint">
        Scanning a QR code or uploading a picture of one is not available yet: ask for the link
        instead, or scan the QR code with your phone's camera app, which opens the link.
      </p>
    </section>
  );
}
