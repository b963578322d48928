import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { MessageRecord } from '../../db/schema.ts';
import {
  acceptFile,
  cancelFile,
  declineFile,
  pauseFile,
  removeFile,
  resumeFile,
  retryFile,
} from '../files/actions.ts';
import { formatBytes } from '../files/format.ts';
import { createFileUrl } from '../files/object-url.ts';
import { transferEntry } from '../files/store.ts';
import { errorText, type FileAction, fileView } from '../files/view.ts';
import { linkState } from '../net/network.ts';
import { ConfirmButton } from './ConfirmButton.tsx';

const ACTION: Readonly<
  Record<FileAction, { label: string; run: (id: string) => Promise<void>; primary?: boolean }>
> = {
  accept: { label: 'Accept', run: acceptFile, primary: true },
  decline: { label: 'Decline', run: declineFile },
  pause: { label: 'Pause', run: pauseFile },
  resume: { label: 'Resume', run: resumeFile, primary: true },
  cancel: { label: 'Cancel', run: cancelFile },
  retry: { label: 'Retry', run: retryFile, primary: true },
};

/** A file message: name, size, progress and what can be done with the transfer right now. */
export function FileBubble(props: { message: MessageRecord }) {
  const id = () => props.message.file ?? '';
  const entry = () => transferEntry(id());
  const view = createMemo(() =>
    fileView(
      props.message.direction,
      props.message.text,
      entry(),
      linkState(props.message.contact).kind === 'connected',
    ),
  );
  const [busy, setBusy] = createSignal(false);
  let status: HTMLParagraphElement | undefined;
  const url = createFileUrl(() => (view().canSave || view().preview !== 'none' ? id() : undefined));
  const run = async (action: FileAction) => {
    setBusy(true);
    try {
      await ACTION[action].run(id());
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      class="file-card"
      data-testid="file-bubble"
      data-file-id={id()}
      data-status={view().status}
    >
      <div class="file-head">
        <svg class="file-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            d="M6 2h8l5 5v15H6zM14 2v5h5"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linejoin="round"
          />
        </svg>
        <span class="file-name">{view().name}</span>
        <Show when={view().size}>
          {(size) => <span class="file-size">{formatBytes(size())}</span>}
        </Show>
      </div>
      <Show when={url()}>
        {(src) => (
          <Switch>
            <Match when={view().preview === 'image'}>
              <img
                class="file-preview"
                data-testid="file-preview"
                src={src()}
                alt={`Preview of ${view().name}`}
                loading="lazy"
              />
            </Match>
            <Match when={view().preview === 'video'}>
              {/* biome-ignore lint/a11y/useMediaCaption: a user's own video has no captions */}
              <video
                class="file-preview"
                data-testid="file-preview"
                src={src()}
                controls
                preload="metadata"
                aria-label={`Video ${view().name}`}
              />
            </Match>
          </Switch>
        )}
      </Show>
      <Show when={view().progress}>
        {(p) => (
          <>
            <progress
              data-testid="file-progress"
              max={Math.max(1, p().size)}
              value={p().bytes}
              aria-label={`Progress of ${view().name}`}
            />
            <p class="file-numbers">{p().line}</p>
          </>
        )}
      </Show>
      <p
        class={`file-status${view().failed ? ' error' : ''}`}
        aria-live="polite"
        ref={status}
        tabindex="-1"
      >
        {view().label}
      </p>
      <Show when={entry()?.error}>
        {(e) => (
          <p class="error" role="alert">
            {errorText(e())}
          </p>
        )}
      </Show>
      <div class="file-actions">
        <For each={view().actions}>
          {(a) => (
            <button
              type="button"
              class={`btn small${ACTION[a].primary ? ' primary' : ''}`}
              data-testid={`file-${a}`}
              aria-label={`${ACTION[a].label} ${view().name}`}
              disabled={busy()}
              onClick={() => void run(a)}
            >
              {ACTION[a].label}
            </button>
          )}
        </For>
        <Show when={view().canSave && url()}>
          {(href) => (
            <a
              class="btn small primary"
              data-testid="file-save"
              href={href()}
              download={view().name}
              aria-label={`Save ${view().name}`}
            >
              Save
            </a>
          )}
        </Show>
        <Show when={view().canRemove}>
          <ConfirmButton
            label="Delete"
            confirmLabel="Delete the file"
            warning={
              <p>
                Delete {view().name} from this browser? This cannot be undone
                {props.message.direction === 'in'
                  ? ': to have it again, ask for it to be sent again.'
                  : '. The other person keeps their copy.'}
              </p>
            }
            onConfirm={async () => {
              await removeFile(id());
              // The confirmation goes with the file: keep focus in the bubble, on what happened.
              status?.focus();
            }}
            ariaLabel={`Delete ${view().name}`}
            small
          />
        </Show>
      </div>
    </div>
  );
}
