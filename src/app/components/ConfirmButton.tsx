import { createSignal, createUniqueId, type JSX, Show } from 'solid-js';

type Step = 'idle' | 'asking' | 'working';

/**
 * A destructive action in two steps: the first click explains what will happen, the second does
 * it. Keeps an accidental tap from deleting anything.
 */
export function ConfirmButton(props: {
  label: string;
  confirmLabel: string;
  warning: JSX.Element;
  onConfirm: () => Promise<void>;
  /** Small buttons, for a place with small buttons beside it (a file's actions). */
  small?: boolean;
  /** The first button's accessible name, where its label alone is ambiguous ("Delete x.png"). */
  ariaLabel?: string;
}) {
  const size = () => (props.small ? ' small' : '');
  const [step, setStep] = createSignal<Step>('idle');
  const warningId = createUniqueId();
  let confirm: HTMLButtonElement | undefined;
  let start: HTMLButtonElement | undefined;
  const ask = () => {
    setStep('asking');
    queueMicrotask(() => confirm?.focus());
  };
  // Focus goes back to where it was, so keyboard users are not thrown to the top of the page.
  const cancel = () => {
    setStep('idle');
    queueMicrotask(() => start?.focus());
  };
  const run = async () => {
    setStep('working');
    try {
      await props.onConfirm();
    } finally {
      setStep('idle');
    }
  };
  return (
    <Show
      when={step() !== 'idle'}
      fallback={
        <button
          type="button"
          class={`btn danger-outline${size()}`}
          ref={start}
          aria-label={props.ariaLabel}
          onClick={ask}
        >
          {props.label}
        </button>
      }
    >
      <div class="confirm-box">
        <div class="warning" id={warningId}>
          {props.warning}
        </div>
        <div class="actions">
          <button
            type="button"
            class={`btn danger${size()}`}
            ref={confirm}
            aria-describedby={warningId}
            disabled={step() === 'working'}
            onClick={run}
          >
            {props.confirmLabel}
          </button>
          <button type="button" class={`btn${size()}`} onClick={cancel}>
            Cancel
          </button>
        </div>
      </div>
    </Show>
  );
}
