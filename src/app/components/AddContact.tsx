import { createSignal, lazy, Show, Suspense } from 'solid-js';
import type { ParseFailure } from '../../crypto/contact-link.ts';
import { checkContactInput, openContactInput } from '../stores/link-intake.ts';
import { INPUT_PROBLEM } from '../text.ts';
import { ScreenHeader } from './ScreenHeader.tsx';

// Lazy: the camera code and jsQR load only when the user asks for the camera.
const QrScanner = lazy(() => import('./QrScanner.tsx').then((m) => ({ default: m.QrScanner })));

/** The picture upload: what happened to the last picture chosen. */
type QrUpload =
  | { readonly status: 'idle' }
  | { readonly status: 'reading' }
  | { readonly status: 'none' }
  | { readonly status: 'unreadable' }
  | { readonly status: 'bad-link'; readonly reason: ParseFailure };

function uploadMessage(u: QrUpload): string {
  switch (u.status) {
    case 'idle':
      return '';
    case 'reading':
      return 'Reading the picture…';
    case 'none':
      return 'No QR code found in this image. Try a sharper picture in which the code is whole.';
    case 'unreadable':
      return 'This file could not be opened as a picture.';
    case 'bad-link':
      return `The QR code was read, but it is not a usable Peerline link. ${INPUT_PROBLEM[u.reason]}`;
  }
}

/** Paste a link or key. An invalid link that was opened lands here with its problem shown. */
export function AddContact(props: { input: string }) {
  const initial = props.input === '' ? undefined : checkContactInput(props.input);
  const [problem, setProblem] = createSignal<ParseFailure | undefined>(
    initial && !initial.ok ? initial.reason : undefined,
  );
  let field: HTMLTextAreaElement | undefined;
  const [upload, setUpload] = createSignal<QrUpload>({ status: 'idle' });
  const [camera, setCamera] = createSignal<'closed' | 'open'>('closed');
  let scanButton: HTMLButtonElement | undefined;

  /** The same parser as pasting: a QR code is just another way to enter the link. */
  const takeQrText = (text: string): ParseFailure | undefined => {
    const check = checkContactInput(text);
    if (!check.ok) return check.reason;
    openContactInput(text);
    return undefined;
  };

  const closeCamera = () => {
    setCamera('closed');
    scanButton?.focus();
  };

  const onPicture = async (e: Event & { currentTarget: HTMLInputElement }) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    // Cleared at once, so choosing the same picture again is a new change.
    input.value = '';
    if (!file) return;
    setUpload({ status: 'reading' });
    try {
      // Lazy: the decoder (and jsQR) load only once a picture is chosen.
      const { decodeQrImage } = await import('../stores/qr-decode.ts');
      const r = await decodeQrImage(file);
      if (r.kind !== 'found') {
        setUpload({ status: r.kind });
        return;
      }
      const reason = takeQrText(r.text);
      setUpload(reason === undefined ? { status: 'idle' } : { status: 'bad-link', reason });
    } catch {
      setUpload({ status: 'unreadable' });
    }
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const text = field?.value ?? '';
    const r = checkContactInput(text);
    if (r.ok) openContactInput(text);
    else {
      setProblem(r.reason);
      field?.focus();
    }
  };

  return (
    <section class="card" aria-labelledby="add-title">
      <ScreenHeader id="add-title" title="Add contact" />
      <form onSubmit={submit} novalidate>
        <label for="contact-input">Their Peerline link or key</label>
        <p id="contact-input-hint" class="hint">
          It looks like <span class="mono">https://…/#</span> followed by 64 characters.
        </p>
        <textarea
          id="contact-input"
          ref={field}
          rows="3"
          spellcheck={false}
          autocapitalize="off"
          autocomplete="off"
          aria-describedby="contact-input-hint contact-input-error"
          aria-invalid={problem() !== undefined}
          onInput={() => setProblem(undefined)}
        >
          {props.input}
        </textarea>
        <p id="contact-input-error" class="error" role="alert">
          <Show when={problem()}>{(p) => INPUT_PROBLEM[p()]}</Show>
        </p>
        <button type="submit" class="btn primary">
          Continue
        </button>
      </form>
      <div class="qr-upload">
        <label for="qr-upload-input">Upload QR image</label>
        <p id="qr-upload-hint" class="hint">
          A photo or screenshot of their QR code. The picture stays on this device.
        </p>
        <input
          id="qr-upload-input"
          type="file"
          accept="image/*"
          aria-describedby="qr-upload-hint qr-upload-status"
          onChange={(e) => void onPicture(e)}
        />
        <p
          id="qr-upload-status"
          class={upload().status === 'reading' ? 'hint' : 'error'}
          role={upload().status === 'reading' ? 'status' : 'alert'}
        >
          {uploadMessage(upload())}
        </p>
      </div>
      <div class="qr-scan">
        <Show
          when={camera() === 'open'}
          fallback={
            <button
              type="button"
              class="btn"
              ref={scanButton}
              aria-describedby="qr-scan-hint"
              onClick={() => setCamera('open')}
            >
              Scan QR code with camera
            </button>
          }
        >
          <Suspense fallback={<p class="hint">Loading the camera view…</p>}>
            <QrScanner onCode={takeQrText} onClose={closeCamera} />
          </Suspense>
        </Show>
        <p id="qr-scan-hint" class="hint">
          Point your camera at the QR code in their <em>My link</em> panel.
        </p>
      </div>
    </section>
  );
}
