import { createSignal, Match, Switch } from 'solid-js';
import {
  cleanName,
  MAX_NAME_LENGTH,
  type RestoreResult,
  restoreIdentity,
} from '../stores/identity.ts';

type State = 'idle' | 'no-file' | 'no-name' | 'working' | Exclude<RestoreResult, 'restored'>;

const MAX_FILE_BYTES = 4096;

/** First start, alternative: use the identity from another browser's backup file. */
export function RestoreBackup() {
  const [state, setState] = createSignal<State>('idle');
  let file: HTMLInputElement | undefined;
  let pass: HTMLInputElement | undefined;
  let name: HTMLInputElement | undefined;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = file?.files?.[0];
    if (!f) return setState('no-file');
    const display = cleanName(name?.value ?? '');
    if (!display) return setState('no-name');
    if (f.size > MAX_FILE_BYTES) return setState('not-a-backup');
    setState('working');
    const bytes = new Uint8Array(await f.arrayBuffer());
    const result = await restoreIdentity(bytes, pass?.value ?? '', display);
    if (result !== 'restored') setState(result);
  };

  return (
    <details class="restore">
      <summary>I have a backup file</summary>
      <form onSubmit={submit} novalidate>
        <label for="restore-file">Backup file</label>
        <input id="restore-file" ref={file} type="file" accept=".plbk,application/octet-stream" />
        <label for="restore-pass">Passphrase</label>
        <input id="restore-pass" ref={pass} type="password" autocomplete="current-password" />
        <label for="restore-name">Name to show</label>
        <input id="restore-name" ref={name} type="text" maxLength={MAX_NAME_LENGTH} />
        <button type="submit" class="btn" disabled={state() === 'working'}>
          Restore identity
        </button>
        <p class="error" role="alert" data-testid="restore-status">
          <Switch>
            <Match when={state() === 'no-file'}>Choose the backup file.</Match>
            <Match when={state() === 'no-name'}>
              Enter a name of 1 to {MAX_NAME_LENGTH} characters.
            </Match>
            <Match when={state() === 'wrong-passphrase'}>
              Wrong passphrase, or the file is damaged. Check the passphrase and try again.
            </Match>
            <Match when={state() === 'not-a-backup'}>This is not a Peerline backup file.</Match>
            <Match when={state() === 'exists'}>This browser already has an identity.</Match>
            <Match when={state() === 'failed'}>The identity could not be saved.</Match>
          </Switch>
        </p>
        <p class="hint" role="status">
          {state() === 'working' ? 'Decrypting… (this takes a few seconds)' : ''}
        </p>
      </form>
    </details>
  );
}
