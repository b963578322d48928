import { Show } from 'solid-js';
import { changeName, deleteIdentity, me } from '../stores/identity.ts';
import { fingerprintOf } from '../stores/keys.ts';
import { replace } from '../stores/router.ts';
import { resetTheme } from '../stores/settings.ts';
import { BackupExport } from './BackupExport.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { FileSizeSetting } from './FileSizeSetting.tsx';
import { NotificationSetting } from './NotificationSetting.tsx';
import { RenameForm } from './RenameForm.tsx';
import { ScreenHeader } from './ScreenHeader.tsx';
import { StatusForm } from './StatusForm.tsx';
import { StorageStatus } from './StorageStatus.tsx';
import { ThemePicker } from './ThemePicker.tsx';

export function Settings() {
  return (
    <Show when={me()}>
      {(m) => (
        <section class="card settings" aria-labelledby="settings-title">
          <ScreenHeader id="settings-title" title="Settings" />
          <RenameForm id="my-name" label="Your name" value={m().displayName} onSave={changeName} />
          <StatusForm />
          <ThemePicker />
          <h3>Notifications</h3>
          <NotificationSetting />
          <h3>Files</h3>
          <FileSizeSetting />
          <h3>Your identity</h3>
          <p>
            Fingerprint <span class="mono">{fingerprintOf(m().publicHex)}</span>
          </p>
          <StorageStatus />
          <h3>Back up your identity</h3>
          <BackupExport />
          <h3>Delete identity</h3>
          <p class="hint">
            Removes your key, contacts and all chats from this browser. Without a backup file this
            cannot be undone.
          </p>
          <ConfirmButton
            label="Delete identity…"
            confirmLabel="Delete everything"
            warning={
              <p>
                <strong>Your address will stop existing.</strong> Contacts who have your link will
                no longer reach you, and every chat in this browser is deleted. A new identity gets
                a new link that you must send again.
              </p>
            }
            onConfirm={async () => {
              await deleteIdentity();
              resetTheme();
              replace({ name: 'home' });
            }}
          />
        </section>
      )}
    </Show>
  );
}
