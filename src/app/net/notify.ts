// System notifications for messages that arrive while Peerline is not on screen. Permission is
// only asked from a click in Settings (browsers ignore or punish unprompted requests).

import { createSignal } from 'solid-js';

export type NotifyPermission = NotificationPermission | 'unsupported';

function current(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

const [permission, setPermission] = createSignal<NotifyPermission>(current());

export { permission as notificationPermission };

export async function requestNotifications(): Promise<void> {
  if (typeof Notification === 'undefined') return;
  setPermission(await Notification.requestPermission());
}

/** Shows "New message from <name>" when the tab is hidden and permission was given. */
export function notifyMessage(contact: string, name: string, preview: string): void {
  if (current() !== 'granted' || document.visibilityState === 'visible') return;
  try {
    const n = new Notification(`Message from ${name}`, {
      body: preview,
      tag: `peerline-${contact}`,
    });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some platforms (Android Chrome) only allow notifications from a service worker.
  }
}
