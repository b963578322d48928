import { describe, expect, test } from 'vitest';
import { cameraProblem, openCamera } from './qr-camera.ts';

describe('cameraProblem', () => {
  test.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'no-camera'],
    ['OverconstrainedError', 'no-camera'],
    ['NotReadableError', 'busy'],
    ['AbortError', 'busy'],
    ['TypeError', 'failed'],
  ] as const)('%s → %s', (name, problem) => {
    expect(cameraProblem(new DOMException('x', name))).toBe(problem);
  });

  test('anything that is not an error is a plain failure', () => {
    expect(cameraProblem('NotAllowedError')).toBe('failed');
    expect(cameraProblem(undefined)).toBe('failed');
  });
});

test('without navigator.mediaDevices there is no camera', async () => {
  // Node has a navigator without mediaDevices: like an insecure origin in a browser.
  expect(await openCamera()).toEqual({ ok: false, problem: 'no-camera' });
});
