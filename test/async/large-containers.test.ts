// A large Map, Set or plain object is read a slice at a time, as a large array is: the dump
// writes its first chunk without first going through every member. (A plain object's keys are
// the exception: V8 lists them in one call, Object.keys, which the dump makes once.)
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
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
 * The longest event-loop gap from the call of dump(make(n)) to its first write, and the bytes
 * written in all. A dump of make(1000) first compiles the code it runs: on a busy machine the
 * first call of the library's functions took up to 200 ms.
 */
async function gapBeforeFirstWrite<T>(make: (n: number) => T, n: number): Promise<{ value: T; gap: number; bytes: number }> {
  await dump(make(1000), counter(() => {}));
  const value = make(n);
  // The garbage of making the value is collected, and timers already due fire, before the meter starts.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const gaps = new LoopGaps();
  let gap = -1;
  const w = counter(() => (gap = gaps.longest()));
  await dump(value, w);
  gaps.stop();
  return { value, gap, bytes: w.bytes };
}

describe('the first write of a large container comes without a long stall', () => {
  it('a Map of 2,000,000 entries', async () => {
    const { gap, bytes } = await gapBeforeFirstWrite((n) => new Map(Array.from({ length: n }, (_, i) => [`k${i}`, i])), 2_000_000);
    expect(bytes).toBeGreaterThan(2_000_000 * 8);
    // Measured: 40 ms on a quiet machine, up to 260 ms on a busy one; the members coerced and
    // searched first held it 0.7 s (1.7 s busy).
    expect(gap).toBeLessThan(500);
  });

  it('a Set of 1,000,000 objects', async () => {
    const { value, gap, bytes } = await gapBeforeFirstWrite((n) => new Set(Array.from({ length: n }, (_, i) => ({ i }))), 1_000_000);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify([...value])));
    // Measured: 20 to 100 ms on a quiet machine, up to 400 ms on a busy one; searching every
    // element first held it 0.9 s (1.8 s busy).
    expect(gap).toBeLessThan(500);
  });

  it('a plain object of 1,000,000 keys: no longer than its one Object.keys', async () => {
    const object = (n: number) => {
      const o: Record<string, number> = {};
      for (let i = 0; i < n; i++) o[`k${i}`] = i;
      return o;
    };
    let keysMs = Infinity;
    const o = object(1_000_000);
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      Object.keys(o);
      keysMs = Math.min(keysMs, performance.now() - t);
    }
    const { value, gap, bytes } = await gapBeforeFirstWrite(object, 1_000_000);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(value)));
    // The keys listed twice (by the plain check, then to write them) and every member searched
    // held it 2.2 times as long as one Object.keys.
    expect(gap, `Object.keys: ${keysMs.toFixed(0)} ms`).toBeLessThan(1.5 * keysMs + 100);
  });
});
