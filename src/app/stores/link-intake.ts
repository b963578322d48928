// Contact links arrive as the URL fragment (`/#<64 hex>`), on load or while the app is open
// (hashchange). The fragment is taken off the URL at once — so a reload or a shared screenshot
// does not repeat it — and held until an identity exists to compare it with.

import { createEffect, createSignal } from 'solid-js';
import { contactLink, type ParseFailure, parseContactInput } from '../../crypto/contact-link.ts';
import { contactByKey } from './contacts.ts';
import { me } from './identity.ts';
import { navigate } from './router.ts';

export type InputCheck =
  | { readonly ok: true; readonly hex: string }
  | { readonly ok: false; readonly reason: ParseFailure };

/** Validates pasted text or a link against our own key. */
export function checkContactInput(input: string): InputCheck {
  const r = parseContactInput(input, me()?.publicKey);
  return r.ok ? { ok: true, hex: r.hex } : { ok: false, reason: r.reason };
}

/** This identity's shareable link, on the origin the app is served from. */
export function myLink(): string | undefined {
  const m = me();
  return m ? contactLink(location.origin, m.publicKey) : undefined;
}

const [pending, setPending] = createSignal<string | undefined>(undefined);

function takeFragment(): void {
  const fragment = location.hash.slice(1);
  if (fragment === '') return;
  history.replaceState(history.state, '', location.pathname + location.search);
  setPending(safeDecode(fragment));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // A malformed escape is shown as typed; the parser then names what is wrong with it.
    return s;
  }
}

/** Opens the screen for a link: confirm when valid and new, the contact when known, else add. */
export function openContactInput(input: string): void {
  const r = checkContactInput(input);
  if (!r.ok) navigate({ name: 'add', input });
  else if (contactByKey(r.hex)) navigate({ name: 'contact', key: r.hex });
  else navigate({ name: 'confirm', key: r.hex });
}

/** Call once at start-up, inside the app's reactive root. */
export function startLinkIntake(ready: () => boolean): void {
  takeFragment();
  window.addEventListener('hashchange', takeFragment);
  createEffect(() => {
    const input = pending();
    if (input === undefined || !ready()) return;
    setPending(undefined);
    openContactInput(input);
  });
}
