import { createSignal, Match, Switch } from 'solid-js';
import { backupIdentity, me } from '../stores/identity.ts';
import { fingerprintOf } from '../stores/keys.ts';

export const MIN_PASSPHRASE = 8;

type ExportState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'too-short' }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'working'; readonly percent: number }
  | { readonly kind: 'done'; readonly file: string }
  | { readonly kind: 'failed' };

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Settings: save this identity to a passphrase-encrypted file (PROTOCOL.md §10). */
export function BackupExport() {
  const [state, setState] = createSignal<ExportState>({ kind: 'idle' });
  let pass: HTMLInputElement | undefined;
  let again: HTMLInputElement | undefined;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const p = pass?.value ?? '';
    if (p.length < MIN_PASSPHRASE) return setState({ kind: 'too-short' });
    if (p !== again?.value) return setState({ kind: 'mismatch' });
    setState({ kind: 'working', percent: 0 });
    try {
      const bytes = await backupIdentity(p, (f) =>
        setState({ kind: 'working', percent: Math.round(f * 100) }),
      );
      if (!bytes) return setState({ kind: 'failed' });
      const fp = fingerprintOf(me()?.publicHex ?? '').replaceAll(' ', '');
      const file = `peerline-identity-${fp}.plbk`;
      download(bytes, file);
      if (pass) pass.value = '';
      if (again) again.value = '';
      setState({ kind: 'done', file });
    } catch {
      setState({ kind: 'failed' });
    }
  };

  return (
    <form class="backup" onSubmit={submit} novalidate>
      <p class="hint">
        The file holds your secret key, encrypted with a passphrase you choose. With it and the
        passphrase you can use this identity in another browser. Keep both safe: whoever has them
        can read your future messages and write as you.
      </p>
      <label for="backup-pass">Passphrase</label>
      <input id="backup-pass" ref={pass} type="password" autocomplete="new-password" />
      <label for="backup-again">Passphrase again</label>
      <input id="backup-again" ref={again} type="password" autocomplete="new-password" />
      <button type="submit" class="btn" disabled={state().kind === 'working'}>
        Export backup file
      </button>
      <p class="status" role="status" data-testid="backup-status">
        <Switch>
          <Match when={state().kind === 'too-short'}>
            Choose a passphrase of at least {MIN_PASSPHRASE} characters.
          </Match>
          <Match when={state().kind === 'mismatch'}>The two passphrases differ.</Match>
          <Match when={state().kind === 'working'}>Encrypting… (this takes a few seconds)</Match>
          <Match when={state().kind === 'done'}>
            Saved {(state() as { file: string }).file}. Keep it somewhere safe.
          </Match>
          <Match when={state().kind === 'failed'}>The backup could not be made.</Match>
        </Switch>
      </p>
    </form>
  );
}
