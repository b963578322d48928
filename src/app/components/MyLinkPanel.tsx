import { createSignal, lazy, Show, Suspense } from 'solid-js';
import { me } from '../stores/identity.ts';
import { fingerprintOf } from '../stores/keys.ts';
import { myLink } from '../stores/link-intake.ts';

const QrCode = lazy(() => import('./QrCode.tsx').then((m) => ({ default: m.QrCode })));

type CopyState = 'idle' | 'copied' | 'failed';

/** The user's own link: text, QR code, copy and share. */
export function MyLinkPanel() {
  const [copy, setCopy] = createSignal<CopyState>('idle');
  const canShare = typeof navigator.share === 'function';
  const link = () => myLink() ?? '';

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(link());
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  const share = async () => {
    try {
      await navigator.share({
        title: 'My Peerline link',
        text: 'Add me on Peerline:',
        url: link(),
      });
    } catch {
      // Cancelled by the user, or the share target failed: nothing to report.
    }
  };

  return (
    <section class="card my-link" aria-labelledby="my-link-title">
      <h2 id="my-link-title">My link</h2>
      <p class="hint">
        Whoever opens this link can add you. It holds only your public key, nothing secret.
      </p>
      <div class="qr-box">
        <Suspense fallback={<div class="qr qr-placeholder" />}>
          <QrCode data={link()} label="QR code of my link" />
        </Suspense>
      </div>
      <p class="link-text">
        <code data-testid="my-link">{link()}</code>
      </p>
      <p class="fingerprint">
        Fingerprint <span class="mono">{fingerprintOf(me()?.publicHex ?? '')}</span>
      </p>
      <div class="actions">
        <button type="button" class="btn primary" onClick={copyLink}>
          Copy link
        </button>
        <Show when={canShare}>
          <button type="button" class="btn" onClick={share}>
            Share…
          </button>
        </Show>
      </div>
      <p class="status" role="status">
        <Show when={copy() === 'copied'}>Link copied.</Show>
        <Show when={copy() === 'failed'}>Copying failed: select the link above and copy it.</Show>
      </p>
    </section>
  );
}
