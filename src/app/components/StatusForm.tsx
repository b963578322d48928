import { createSignal, For } from 'solid-js';
import type { OwnStatus } from '../../db/schema.ts';
import { broadcastPresence } from '../net/messaging.ts';
import { MAX_STATUS_TEXT, myStatus, saveMyStatus } from '../stores/presence.ts';

const CHOICES: readonly { value: OwnStatus; label: string }[] = [
  { value: 'online', label: 'Online' },
  { value: 'away', label: 'Away' },
  { value: 'busy', label: 'Busy' },
];

/** Settings: the status and status message contacts see (never anyone else). */
export function StatusForm() {
  const [saved, setSaved] = createSignal(false);
  let text: HTMLInputElement | undefined;
  const save = async (status: OwnStatus) => {
    await saveMyStatus({ status, text: text?.value ?? '' });
    broadcastPresence();
    setSaved(true);
  };
  return (
    <form
      class="status-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save(myStatus().status);
      }}
    >
      <fieldset class="choices">
        <legend>Status shown to your contacts</legend>
        <For each={CHOICES}>
          {(c) => (
            <label class="choice">
              <input
                type="radio"
                name="own-status"
                value={c.value}
                checked={myStatus().status === c.value}
                onChange={() => void save(c.value)}
              />
              {c.label}
            </label>
          )}
        </For>
      </fieldset>
      <label for="status-text">Status message</label>
      <div class="inline-field">
        <input
          id="status-text"
          ref={text}
          type="text"
          maxLength={MAX_STATUS_TEXT}
          value={myStatus().text}
          onInput={() => setSaved(false)}
        />
        <button type="submit" class="btn">
          Save status
        </button>
      </div>
      <p class="status" role="status">
        {saved() ? 'Status saved.' : ''}
      </p>
    </form>
  );
}
