import '../styles/qr-camera.css';
import { createSignal, Match, onCleanup, onMount, Switch } from 'solid-js';
import type { ParseFailure } from '../../crypto/contact-link.ts';
import { type CameraProblem, openCamera, scanFrames, stopStream } from '../stores/qr-camera.ts';
import { INPUT_PROBLEM } from '../text.ts';

/** Where the camera view is. 'ended' views keep the camera off until the user asks again. */
type Phase =
  | { readonly name: 'starting' }
  | { readonly name: 'scanning' }
  | { readonly name: 'blocked'; readonly problem: CameraProblem }
  | { readonly name: 'bad-link'; readonly reason: ParseFailure };

const PROBLEM: Readonly<Record<CameraProblem, string>> = {
  denied:
    'Peerline may not use the camera. Allow the camera for this site in your browser (the icon next to the address), then press Try again — or upload a picture of the code instead.',
  'no-camera': 'No camera was found on this device. Upload a picture of the QR code instead.',
  busy: 'The camera could not be started: another app may be using it. Close that app, then press Try again.',
  failed: 'The camera could not be started. Upload a picture of the QR code instead.',
};

export interface QrScannerProps {
  /** Takes a decoded code; returns why it is not a usable link, or undefined once it is used. */
  readonly onCode: (text: string) => ParseFailure | undefined;
  readonly onClose: () => void;
}

/** The camera view of the Add contact screen: reads a QR code on this device, nothing is sent. */
export function QrScanner(props: QrScannerProps) {
  const [phase, setPhase] = createSignal<Phase>({ name: 'starting' });
  let video: HTMLVideoElement | undefined;
  let stream: MediaStream | undefined;
  let stopScan: (() => void) | undefined;
  // Each start gets a number; a camera that opens after its start was cancelled (screen left,
  // Stop pressed) is closed at once instead of being shown.
  let attempt = 0;

  const stopCamera = () => {
    attempt++;
    stopScan?.();
    stopScan = undefined;
    if (stream) stopStream(stream);
    stream = undefined;
    if (video) video.srcObject = null;
  };

  const found = (text: string) => {
    // The camera goes off as soon as a code is read, whatever the code holds.
    stopCamera();
    const reason = props.onCode(text);
    if (reason !== undefined) setPhase({ name: 'bad-link', reason });
  };

  const start = async () => {
    stopCamera();
    const mine = attempt;
    setPhase({ name: 'starting' });
    const r = await openCamera();
    if (mine !== attempt) {
      if (r.ok) stopStream(r.stream);
      return;
    }
    if (!r.ok) {
      setPhase({ name: 'blocked', problem: r.problem });
      return;
    }
    stream = r.stream;
    if (!video) return;
    video.srcObject = r.stream;
    // Autoplay of a muted video is allowed; a refusal still leaves frames to read on most browsers.
    video.play().catch(() => undefined);
    setPhase({ name: 'scanning' });
    stopScan = scanFrames(video, found);
  };

  onMount(() => void start());
  onCleanup(stopCamera);

  const stop = () => {
    stopCamera();
    props.onClose();
  };

  const live = () => phase().name === 'starting' || phase().name === 'scanning';

  return (
    <section class="qr-camera" aria-labelledby="qr-camera-title">
      <h3 id="qr-camera-title">Scan their QR code</h3>
      <div class="qr-camera-view" classList={{ off: !live() }}>
        <video
          ref={video}
          muted
          playsinline
          autoplay
          aria-label="Camera picture"
          aria-describedby="qr-camera-status"
        />
      </div>
      <p
        id="qr-camera-status"
        class={live() ? 'hint' : 'error'}
        role={live() ? 'status' : 'alert'}
        aria-live={live() ? 'polite' : 'assertive'}
      >
        <Switch>
          <Match when={phase().name === 'starting'}>
            Starting the camera… Your browser may ask whether Peerline may use it.
          </Match>
          <Match when={phase().name === 'scanning'}>
            Hold their QR code in front of the camera. It is read on this device; no picture is kept
            or sent.
          </Match>
          <Match when={phaseOf(phase(), 'blocked')}>{(p) => PROBLEM[p().problem]}</Match>
          <Match when={phaseOf(phase(), 'bad-link')}>
            {(p) =>
              `The QR code was read, but it is not a usable Peerline link. ${INPUT_PROBLEM[p().reason]}`
            }
          </Match>
        </Switch>
      </p>
      <div class="actions">
        <Switch>
          <Match when={live()}>
            <button type="button" class="btn" onClick={stop}>
              Stop camera
            </button>
          </Match>
          <Match when={!live()}>
            <button type="button" class="btn primary" onClick={() => void start()}>
              {phase().name === 'bad-link' ? 'Scan again' : 'Try again'}
            </button>
            <button type="button" class="btn" onClick={stop}>
              Close camera
            </button>
          </Match>
        </Switch>
      </div>
    </section>
  );
}

function phaseOf<N extends Phase['name']>(p: Phase, name: N): Extract<Phase, { name: N }> | false {
  return p.name === name ? (p as Extract<Phase, { name: N }>) : false;
}
