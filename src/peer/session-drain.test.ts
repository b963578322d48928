import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.ts';
import { drive, NOBLE } from './files/test-support.ts';
import { connectPair } from './test-support.ts';

describe('Session.whenBufferedBelow', () => {
  it("follows the channel's drain on the clock; rejects 2001 once the session ended", async () => {
    const clock = createFakeClock();
    const { a } = await drive(
      clock,
      connectPair({
        clock,
        duplex: { bytesPerSecond: 100_000 },
        a: { backend: NOBLE },
        b: { backend: NOBLE },
      }),
    );
    await drive(clock, a.sendBinary(new Uint8Array(16), 0, new Uint8Array(50_000)));
    expect(a.bufferedAmount).toBeGreaterThan(40_000);
    const start = clock.now();
    await drive(clock, a.whenBufferedBelow(0));
    expect(a.bufferedAmount).toBe(0);
    // 50 000 bytes (plus framing) at 100 kB/s: about half a second of the fake clock.
    expect(clock.now() - start).toBeGreaterThanOrEqual(400);
    expect(clock.now() - start).toBeLessThanOrEqual(520);
    await drive(clock, a.close());
    await expect(a.whenBufferedBelow(0)).rejects.toMatchObject({ code: 2001 });
  });
});
