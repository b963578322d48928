// An object URL of a stored transfer file for as long as a component shows it: made when the
// id is set, revoked when it changes and on cleanup, so no file stays pinned in memory.

import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import { storedFile } from './storage.ts';

export function createFileUrl(id: () => string | undefined): () => string | undefined {
  const [url, setUrl] = createSignal<string | undefined>(undefined);
  let current: string | undefined;
  const revoke = () => {
    if (current !== undefined) URL.revokeObjectURL(current);
    current = undefined;
  };
  createEffect(
    on(id, (wanted) => {
      revoke();
      setUrl(undefined);
      if (wanted === undefined) return;
      // This run's lookup only: a later run or the component's end makes its answer stale
      // (comparing ids is not enough: A → B → A, or a disposed owner keeping its last id).
      let live = true;
      onCleanup(() => {
        live = false;
      });
      storedFile(wanted).then(
        (file) => {
          if (!live) return;
          current = URL.createObjectURL(file);
          setUrl(current);
        },
        // The file is gone (storage cleared): the bubble simply offers nothing to open.
        () => undefined,
      );
    }),
  );
  onCleanup(revoke);
  return url;
}
