// A large Map, Set or plain object is read a slice at a time, as a large array is: the dump
// writes its first chunk without first going through every member. (A plain object's keys are
// the exception: V8 lists them in one call, Object.keys, which the dump makes once.)
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { dump } from '../../src/index.js';
import { LoopGaps } from './loop-gaps.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A Writable that counts the bytes it takes and calls `first` at its first write. */
function counter(first: () => void): Writable & { bytes: number } {
  const w = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (w.bytes === 0) first();
      w.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  w.bytes = 0;
  return w;
}

/**
 * The longest event-loop gap from the call of dump(make(n)) to its first write, as the main
 * thread's time in it (test/async/loop-gaps.ts: on a busy machine, the wall time also holds
 * the time the process did not run), and the bytes written in all. A dump of make(1000) first
 * compiles the code it runs: on a busy machine the first call of the library's functions took
 * up to 200 ms.
 */
async function gapBeforeFirstWrite<T>(make: (n: number) => T, n: number): Promise<{ value: T; gap: number; wall: number; bytes: number }> {
  await dump(make(1000), counter(() => {}));
  const value = make(n);
  // The garbage of making the value is collected, and timers already due fire, before the meter starts.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const gaps = new LoopGaps();
  let gap = -1;
  let wall = -1;
  const w = counter(() => {
    gap = gaps.longestHeld();
    wall = gaps.longest();
  });
  await dump(value, w);
  gaps.stop();
  return { value, gap, wall, bytes: w.bytes };
}

describe('the first write of a large container comes without a long stall', () => {
  it('a Map of 2,000,000 entries', async () => {
    const { gap, wall, bytes } = await gapBeforeFirstWrite((n) => new Map(Array.from({ length: n }, (_, i) => [`k${i}`, i])), 2_000_000);
    expect(bytes).toBeGreaterThan(2_000_000 * 8);
    // Measured (the main thread's time): under 50 ms; the members coerced and searched first
    // held it 360 ms (0.7 s of wall time on a quiet machine, 1.7 s on a busy one).
    expect(gap, `wall: ${wall.toFixed(0)} ms`).toBeLessThan(150);
  });

  it('a Set of 2,000,000 objects', async () => {
    const { value, gap, wall, bytes } = await gapBeforeFirstWrite((n) => new Set(Array.from({ length: n }, (_, i) => ({ i }))), 2_000_000);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify([...value])));
    // Measured (the main thread's time): 20 to 50 ms; searching every element first held it
    // about 400 ms (1.4 to 1.8 s of wall time).
    expect(gap, `wall: ${wall.toFixed(0)} ms`).toBeLessThan(150);
  });

  it('a plain object of 1,000,000 keys: its keys listed once, nothing else long before the first write', async () => {
    const object = (n: number) => {
      const o: Record<string, number> = {};
      for (let i = 0; i < n; i++) o[`k${i}`] = i;
      return o;
    };
    // Object.keys of the object itself, timed as the dump calls it (it took 0.4 s on a quiet
    // machine and 1 to 4 s on a busy one: only a time taken in the same run compares).
    const keys = Object.keys;
    const big: { calls: number; ms: number } = { calls: 0, ms: 0 };
    vi.spyOn(Object, 'keys').mockImplementation(function (this: unknown, o: object) {
      if (Object.getPrototypeOf(o) !== Object.prototype || !Object.hasOwn(o, 'k999999')) return keys(o);
      const t = performance.now();
      const listed = keys(o);
      big.calls++;
      big.ms += performance.now() - t;
      return listed;
    });
    const { value, gap, wall, bytes } = await gapBeforeFirstWrite(object, 1_000_000);
    vi.restoreAllMocks();
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(value)));
    // Listed by the plain check, then again to write them, and every member searched, the
    // keys held the event loop more than twice as long as one Object.keys.
    expect(big.calls).toBe(1);
    expect(gap, `Object.keys: ${big.ms.toFixed(0)} ms; wall: ${wall.toFixed(0)} ms`).toBeLessThan(1.5 * big.ms + 250);
  });
});
