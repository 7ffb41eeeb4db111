// An abort ends reformat at once even while it waits for a destination that takes no more (a
// full pipe, a client that stopped reading), as it ends dump: the wait for 'drain' is cut
// short, and the destination is destroyed with the error.
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { reformat } from '../../src/index.js';

describe('reformat aborted while the destination pushes back', () => {
  test('rejects with ERR_ABORTED without waiting for a drain that never comes', async () => {
    const stuck = new Writable({ highWaterMark: 1024, write() {} }); // never calls back: never drains
    const input = Buffer.from(JSON.stringify(Array.from({ length: 100_000 }, (_, i) => ({ i }))));
    const controller = new AbortController();
    const run = reformat(input, stuck, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const settled = await Promise.race([
      run.then(() => 'resolved', (error: { code?: string }) => error.code),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 2 s'), 2000)),
    ]);
    expect(settled).toBe('ERR_ABORTED');
    expect(stuck.destroyed).toBe(true);
  });
});
