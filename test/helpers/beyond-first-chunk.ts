// Values whose async parts fail while a dump yields to the event loop for something other than
// an async value of the walk (opening the destination, the sink's backpressure, a consumer
// between chunks): rows enough that the first chunk does not reach what comes after them.

import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { expect } from 'vitest';
import type { ProcessEvents } from './process-events.js';

/** Plain rows making several chunks of the default chunkSize (64 Ki characters). */
export function rows(n = 5000): { id: number; name: string; ok: boolean }[] {
  return Array.from({ length: n }, (_, i) => ({ id: i, name: `row ${i}`, ok: i % 2 === 0 }));
}

/** A promise rejecting with `error` on the next timer turn; nobody handles it but the dump. */
export const rejectsSoon = (error: Error): Promise<never> => new Promise((_, reject) => setTimeout(() => reject(error), 0));

/** A byte stream that fails with `error` on the next timer turn, with no 'error' listener. */
export function failsSoon(error: Error): Readable {
  const s = new PassThrough();
  setTimeout(() => s.destroy(error), 0);
  return s;
}

const OLD = 'old content\n';

/**
 * Runs `write(target)` over a target with old content; expects it to fail with `error`, the
 * target kept as it was and nothing else left in its directory.
 */
export async function expectPathKept(dir: string, write: (target: string) => Promise<unknown>, error: Error): Promise<void> {
  const target = path.join(dir, 'target.json');
  fs.writeFileSync(target, OLD);
  await expect(write(target)).rejects.toBe(error);
  expect(fs.readFileSync(target, 'utf8')).toBe(OLD);
  expect(fs.readdirSync(dir)).toEqual(['target.json']);
}

/** Nothing reached the process: no unhandled rejection, no uncaught exception. */
export function expectNothingLeaked(events: ProcessEvents): void {
  expect(events.unhandled).toEqual([]);
  expect(events.uncaught).toEqual([]);
}
