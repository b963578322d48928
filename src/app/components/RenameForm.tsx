import { createSignal, Show } from 'solid-js';
import { cleanName, MAX_NAME_LENGTH } from '../stores/identity.ts';

type FormState = 'idle' | 'saving' | 'saved' | 'invalid' | 'failed';

/** A one-field form for a name (the user's own, or a contact's local name). */
export function RenameForm(props: {
  id: string;
  label: string;
  value: string;
  onSave: (name: string) => Promise<void>;
}) {
  const [state, setState] = createSignal<FormState>('idle');
  let input: HTMLInputElement | undefined;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const name = cleanName(input?.value ?? '');
    if (!name) {
      setState('invalid');
      input?.focus();
      return;
    }
    setState('saving');
    try {
      await props.onSave(name);
      setState('saved');
    } catch {
      setState('failed');
    }
  };

  return (
    <form class="rename" onSubmit={submit} novalidate>
      <label for={props.id}>{props.label}</label>
      <div class="inline-field">
        <input
          id={props.id}
          ref={input}
          type="text"
          autocomplete="off"
          value={props.value}
          maxLength={MAX_NAME_LENGTH}
          aria-describedby={`${props.id}-status`}
          aria-invalid={state() === 'invalid'}
          onInput={() => setState('idle')}
        />
        <button type="submit" class="btn" disabled={state() === 'saving'}>
          Save
        </button>
      </div>
      <p id={`${props.id}-status`} class="status" role="status">
        <Show when={state() === 'saved'}>Saved.</Show>
        <Show when={state() === 'invalid'}>
          <span class="error">Enter a name of 1 to {MAX_NAME_LENGTH} characters.</span>
        </Show>
        <Show when={state() === 'failed'}>
          <span class="error">Could not save the name.</span>
        </Show>
      </p>
    </form>
  );
}
