import { Match, Switch } from 'solid-js';
import { notificationPermission, requestNotifications } from '../net/notify.ts';

/** Settings: ask for notification permission, only when the user clicks. */
export function NotificationSetting() {
  return (
    <div class="notify-setting">
      <Switch>
        <Match when={notificationPermission() === 'unsupported'}>
          <p class="hint">This browser cannot show notifications.</p>
        </Match>
        <Match when={notificationPermission() === 'granted'}>
          <p class="hint">
            On: a notification appears when a message arrives while Peerline is hidden.
          </p>
        </Match>
        <Match when={notificationPermission() === 'denied'}>
          <p class="hint">Blocked in the browser's site settings for this page.</p>
        </Match>
        <Match when={notificationPermission() === 'default'}>
          <p class="hint">Get a notification when a message arrives while Peerline is hidden.</p>
          <button type="button" class="btn" onClick={() => void requestNotifications()}>
            Turn on notifications
          </button>
        </Match>
      </Switch>
    </div>
  );
}
