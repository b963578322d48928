import type { TestProject } from 'vitest/node';
import { freePort, startDevServer } from '../tools/dev-server.ts';

/** Small limits so bounds, TTLs and rate limits are reachable in a few seconds. */
export const TEST_VARS = {
  ALLOWED_ORIGINS: 'http://localhost:*,http://127.0.0.1:*,https://app.peerline.test',
  CHALLENGE_TTL_MS: '1500',
  SIGNALS_PER_MINUTE: '20',
  QUEUE_MAX_SIGNALS: '5',
  QUEUE_MAX_BYTES: '4096',
  QUEUE_TTL_MS: '2000',
  IP_MAX_CONCURRENT: '10',
  IP_CONNECT_BURST: '12',
  IP_CONNECTS_PER_MINUTE: '1',
  TURN_TTL_SECONDS: '600',
} as const;

declare module 'vitest' {
  export interface ProvidedContext {
    workerUrl: string;
    adminSecret: string;
    turnSecret: string;
    testVars: typeof TEST_VARS;
    /** Loopback port the TURN test's coturn listens on (the Worker's TURN_URLS points there). */
    turnPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const turnPort = await freePort();
  const server = await startDevServer({
    ...TEST_VARS,
    TURN_URLS: `turn:127.0.0.1:${turnPort}?transport=udp,turn:127.0.0.1:${turnPort}?transport=tcp`,
  });
  project.provide('turnPort', turnPort);
  project.provide('workerUrl', server.url);
  project.provide('adminSecret', server.adminSecret);
  project.provide('turnSecret', server.turnSecret);
  project.provide('testVars', TEST_VARS);
  return () => server.stop();
}
