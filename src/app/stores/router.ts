// In-app navigation. The URL fragment is reserved for contact links (`/#<key>`), so screens live
// in history.state instead: the browser's back button still walks back through them.

import { createSignal } from 'solid-js';

export type View =
  | { readonly name: 'home' }
  /** Paste a link or key; `input` pre-fills it (e.g. an invalid link that was opened). */
  | { readonly name: 'add'; readonly input: string }
  /** Confirm adding the (already validated) key. */
  | { readonly name: 'confirm'; readonly key: string }
  | { readonly name: 'contact'; readonly key: string }
  | { readonly name: 'safety'; readonly key: string }
  | { readonly name: 'chat'; readonly key: string }
  | { readonly name: 'settings' };

const HOME: View = { name: 'home' };
const KEY_VIEWS: ReadonlySet<unknown> = new Set(['confirm', 'contact', 'safety', 'chat']);

/** history.state is whatever any script put there: validate before trusting it. */
export function asView(v: unknown): View | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o.name === 'home' || o.name === 'settings') return { name: o.name };
  if (o.name === 'add' && typeof o.input === 'string') return { name: 'add', input: o.input };
  if (KEY_VIEWS.has(o.name) && typeof o.key === 'string' && /^[0-9a-f]{64}$/.test(o.key)) {
    return { name: o.name, key: o.key } as View;
  }
  return undefined;
}

const [view, setView] = createSignal<View>(HOME);

export { view };

/** Depth of entries this tab pushed, so "back" never leaves the app. */
let depth = 0;

function stateOf(v: View): { peerline: View; depth: number } {
  return { peerline: v, depth };
}

function here(): string {
  return location.pathname + location.search;
}

export function navigate(v: View): void {
  depth += 1;
  history.pushState(stateOf(v), '', here());
  setView(v);
}

/** Replaces the current screen without adding a history entry (after add, after delete). */
export function replace(v: View): void {
  history.replaceState(stateOf(v), '', here());
  setView(v);
}

export function back(): void {
  if (depth > 0) history.back();
  else replace(HOME);
}

/** Starts following the browser's back/forward buttons. Call once at start-up. */
export function startRouter(): void {
  const initial = history.state as { peerline?: unknown; depth?: unknown } | null;
  // Reload and back/forward come back to the same screen; opening the app afresh (Chromium keeps
  // history.state when the same URL is opened again) starts at home.
  const nav = performance.getEntriesByType('navigation')[0];
  const returning =
    nav instanceof PerformanceNavigationTiming &&
    (nav.type === 'reload' || nav.type === 'back_forward');
  const restored = returning ? asView(initial?.peerline) : undefined;
  depth = returning && typeof initial?.depth === 'number' ? initial.depth : 0;
  // The fragment (a contact link) is kept here and handled by link-intake.ts.
  setView(restored ?? HOME);
  history.replaceState(stateOf(restored ?? HOME), '', location.href);
  window.addEventListener('popstate', (e) => {
    const s = e.state as { peerline?: unknown; depth?: unknown } | null;
    depth = typeof s?.depth === 'number' ? s.depth : 0;
    setView(asView(s?.peerline) ?? HOME);
  });
}
