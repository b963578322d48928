// Loads the markdown renderer on first use; until it arrives messages show as plain text.

import { createSignal } from 'solid-js';

type Render = (text: string) => string;

const [renderer, setRenderer] = createSignal<Render | undefined>(undefined);
let requested = false;

/** The renderer once loaded; the first call starts loading it. */
export function markdownRenderer(): Render | undefined {
  if (!requested) {
    requested = true;
    import('./render.ts').then(
      (m) => setRenderer(() => m.renderMarkdown),
      // Offline without the chunk cached: plain text is still correct, only less pretty.
      () => undefined,
    );
  }
  return renderer();
}
