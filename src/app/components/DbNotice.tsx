import { Match, Switch } from 'solid-js';
import { dbStatus } from '../stores/db-status.ts';

/** Explains why storage stopped working in this tab, and how to get it back. */
export function DbNotice() {
  return (
    <Switch>
      <Match when={dbStatus() === 'blocked'}>
        <div class="notice" role="alert">
          Peerline is open in another tab with an older version. Close that tab to finish updating.
        </div>
      </Match>
      <Match when={dbStatus() === 'blocking'}>
        <div class="notice" role="alert">
          Peerline was updated in another tab. Reload this tab to keep using it.{' '}
          <button type="button" class="btn small" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </Match>
      <Match when={dbStatus() === 'terminated'}>
        <div class="notice" role="alert">
          The browser closed Peerline's storage.{' '}
          <button type="button" class="btn small" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </Match>
    </Switch>
  );
}
