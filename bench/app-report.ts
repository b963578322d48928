// The app part of `npm run bench` (issue 5): initial JS size, Lighthouse scores and
// "open contact → first message" against a bare data channel, one after the other on one build.
import { buildApp, previewApp } from './app-build.ts';
import { CONNECT_MARGIN_MS, type ConnectFigures, runConnectBench } from './app-connect.ts';
import { LIGHTHOUSE_CATEGORIES, type LighthouseFigures, runLighthouse } from './app-lighthouse.ts';
import { INITIAL_JS_TARGET_KB, measureSize, type SizeFigures } from './app-size.ts';
import { fmt } from './lib/stats.ts';

export interface AppFigures {
  readonly size: SizeFigures;
  readonly lighthouse: LighthouseFigures;
  readonly connect: ConnectFigures;
}

const verdict = (ok: boolean): string => (ok ? 'pass' : 'MISS');

export async function runAppBench(log: (line: string) => void): Promise<AppFigures> {
  const built = await buildApp();
  try {
    const size = measureSize(built.outDir);
    console.log('');
    console.log('Peerline app benchmark (issue 5): built app, vite preview on 127.0.0.1');
    console.log(
      `initial JS, gzip -9: ${fmt(size.initialJsGzipKB, 1)} KB (${size.initialFiles.length} files, ` +
        `${fmt(size.initialJsRawKB, 1)} KB raw; + ${fmt(size.initialCssGzipKB, 1)} KB CSS; lazy JS ` +
        `${fmt(size.lazyJsGzipKB, 1)} KB) target <= ${INITIAL_JS_TARGET_KB} KB: ` +
        verdict(size.initialJsGzipKB <= INITIAL_JS_TARGET_KB),
    );
    const server = await previewApp(built.outDir);
    try {
      const lighthouse = await runLighthouse(server.url);
      const s = lighthouse.scores;
      console.log(
        `Lighthouse 12 (mobile, simulated throttling; Chromium ${lighthouse.chromiumVersion}): ` +
          LIGHTHOUSE_CATEGORIES.map((c) => `${c} ${s[c]}`).join(', ') +
          ` target 100 each: ${verdict(LIGHTHOUSE_CATEGORIES.every((c) => s[c] === 100))}`,
      );
      for (const f of lighthouse.failing) console.log(`  below 1: ${f}`);
      const connect = await runConnectBench(server.url, 7, log);
      const diff = connect.appFromClickMs - connect.rawMs;
      console.log(
        `open contact -> first message at Bob (median of ${connect.runs}): app ` +
          `${fmt(connect.appFromClickMs, 1)} ms from the click (${fmt(connect.appFromLoadMs, 1)} ms ` +
          `from Alice's page load), bare RTCPeerConnection ${fmt(connect.rawMs, 1)} ms; app - raw = ` +
          `${fmt(diff, 1)} ms, target <= ${CONNECT_MARGIN_MS} ms: ${verdict(diff <= CONNECT_MARGIN_MS)}`,
      );
      return { size, lighthouse, connect };
    } finally {
      await server.stop();
    }
  } finally {
    built.remove();
  }
}
