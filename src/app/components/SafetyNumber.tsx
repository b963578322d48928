import { createMemo, For, lazy, Show, Suspense } from 'solid-js';
import { contactByKey, setVerified } from '../stores/contacts.ts';
import { safetyFor } from '../stores/keys.ts';
import { NotFound } from './NotFound.tsx';
import { ScreenHeader } from './ScreenHeader.tsx';

const QrCode = lazy(() => import('./QrCode.tsx').then((m) => ({ default: m.QrCode })));

/** The 60-digit safety number both people compare, and its QR code. */
export function SafetyNumber(props: { contactKey: string }) {
  const contact = () => contactByKey(props.contactKey);
  // 2 × 5200 SHA-512: compute once per key, not on every render.
  const safety = createMemo(() => safetyFor(props.contactKey));
  return (
    <Show when={contact()} fallback={<NotFound />}>
      {(c) => (
        <section class="card" aria-labelledby="safety-title">
          <ScreenHeader id="safety-title" title={`Verify ${c().name}`} />
          <p>
            Compare these numbers with the ones {c().name} sees for you, in person or on a call
            where you recognise each other. If they match, nobody is in between.
          </p>
          <Show when={safety()}>
            {(s) => (
              <>
                <ol class="safety-digits" aria-label="Safety number" data-testid="safety-number">
                  <For each={s().groups}>{(g) => <li>{g}</li>}</For>
                </ol>
                <div class="qr-box">
                  <Suspense fallback={<div class="qr qr-placeholder" />}>
                    <QrCode data={s().qrPayload} label="QR code of the safety number" />
                  </Suspense>
                </div>
              </>
            )}
          </Show>
          <p class="hint">
            Scanning the other person's safety-number QR code in Peerline is not available yet;
            compare the digits.
          </p>
          <Show
            when={c().verified}
            fallback={
              <button type="button" class="btn primary" onClick={() => setVerified(c().key, true)}>
                Mark as verified
              </button>
            }
          >
            <p class="verified-note">
              <span class="tag ok">Verified</span> You marked this safety number as verified.
            </p>
            <button type="button" class="btn" onClick={() => setVerified(c().key, false)}>
              Clear verification
            </button>
          </Show>
        </section>
      )}
    </Show>
  );
}
