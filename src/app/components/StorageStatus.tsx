import { createResource, Show } from 'solid-js';

/** Whether the browser promised to keep Peerline's storage (navigator.storage.persist). */
export function StorageStatus() {
  const [persisted] = createResource(async () => {
    try {
      return (await navigator.storage?.persisted?.()) ?? false;
    } catch {
      return false;
    }
  });
  return (
    <p class="hint">
      <Show when={!persisted.loading}>
        {persisted()
          ? 'Storage: this browser keeps Peerline’s data until you delete it.'
          : 'Storage: the browser may clear Peerline’s data when space runs low. Installing the app usually prevents this.'}
      </Show>
    </p>
  );
}
