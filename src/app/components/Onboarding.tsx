import { createSignal, Show } from 'solid-js';
import { cleanName, createIdentity, MAX_NAME_LENGTH } from '../stores/identity.ts';
import { RestoreBackup } from './RestoreBackup.tsx';

type FormState = 'idle' | 'saving' | 'invalid' | 'failed';

/** First start: pick a display name; the key pair is made when the form is sent. */
export function Onboarding() {
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
      await createIdentity(name);
    } catch {
      setState('failed');
    }
  };

  return (
    <section class="card onboarding" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome</h2>
      <p>
        Peerline sends messages straight from your browser to the other person's, encrypted end to
        end. There is no account: this browser makes a key, and its public half is your address.
      </p>
      <form onSubmit={submit} novalidate>
        <label for="display-name">Your name</label>
        <p id="display-name-hint" class="hint">
          Shown to the people you add. You can change it later in Settings.
        </p>
        <input
          id="display-name"
          ref={input}
          type="text"
          autocomplete="nickname"
          maxLength={MAX_NAME_LENGTH}
          aria-describedby="display-name-hint display-name-error"
          aria-invalid={state() === 'invalid'}
          onInput={() => state() === 'invalid' && setState('idle')}
        />
        <p id="display-name-error" class="error" role="alert">
          <Show when={state() === 'invalid'}>
            Enter a name of 1 to {MAX_NAME_LENGTH} characters.
          </Show>
          <Show when={state() === 'failed'}>
            Your identity could not be saved. Is storage blocked for this site?
          </Show>
        </p>
        <button type="submit" class="btn primary" disabled={state() === 'saving'}>
          Create my identity
        </button>
      </form>
      <p class="hint">
        Your secret key never leaves this browser. If you clear this site's data or lose this
        device, the identity is gone — unless you saved a backup file in Settings.
      </p>
      <RestoreBackup />
    </section>
  );
}
