import { createSignal, Show } from 'solid-js';
import { addContact, contactByKey } from '../stores/contacts.ts';
import { cleanName, MAX_NAME_LENGTH } from '../stores/identity.ts';
import { fingerprintOf } from '../stores/keys.ts';
import { back, replace } from '../stores/router.ts';
import { ScreenHeader } from './ScreenHeader.tsx';

type FormState = 'idle' | 'saving' | 'invalid' | 'failed';

/** Shows who a link points to and asks for a local name before adding them. */
export function ConfirmContact(props: { contactKey: string }) {
  const [state, setState] = createSignal<FormState>('idle');
  const existing = () => contactByKey(props.contactKey);
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
      await addContact(props.contactKey, name);
      replace({ name: 'chat', key: props.contactKey });
    } catch {
      setState('failed');
    }
  };

  return (
    <section class="card" aria-labelledby="confirm-title">
      <ScreenHeader id="confirm-title" title="Add this person?" />
      <dl class="facts">
        <dt>Fingerprint</dt>
        <dd class="mono fingerprint-big" data-testid="confirm-fingerprint">
          {fingerprintOf(props.contactKey)}
        </dd>
        <dt>Key</dt>
        <dd class="mono key-full">{props.contactKey}</dd>
      </dl>
      <p class="hint">
        If you can, ask them to read their fingerprint (on their “My link” panel) and check that it
        matches. Later, compare the safety number to be sure.
      </p>
      <Show
        when={!existing()}
        fallback={
          <div class="notice-inline">
            <p>
              This is already your contact <strong>{existing()?.name}</strong>.
            </p>
            <button
              type="button"
              class="btn primary"
              onClick={() => replace({ name: 'contact', key: props.contactKey })}
            >
              Open contact
            </button>
          </div>
        }
      >
        <form onSubmit={submit} novalidate>
          <label for="contact-name">Name for this contact</label>
          <p id="contact-name-hint" class="hint">
            Only you see it.
          </p>
          <input
            id="contact-name"
            ref={input}
            type="text"
            autocomplete="off"
            maxLength={MAX_NAME_LENGTH}
            aria-describedby="contact-name-hint contact-name-error"
            aria-invalid={state() === 'invalid'}
          />
          <p id="contact-name-error" class="error" role="alert">
            <Show when={state() === 'invalid'}>
              Enter a name of 1 to {MAX_NAME_LENGTH} characters.
            </Show>
            <Show when={state() === 'failed'}>The contact could not be saved.</Show>
          </p>
          <div class="actions">
            <button type="submit" class="btn primary" disabled={state() === 'saving'}>
              Add contact
            </button>
            <button type="button" class="btn" onClick={back}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
