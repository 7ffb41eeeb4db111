// A large Map, Set or plain object is read a slice at a time, as a large array is: the dump
// writes its first chunk without first going through every member. (A plain object's keys are
// the exception: V8 lists them in one call, Object.keys, which the dump makes once.)
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dump } from '../../src/index.js';
import { LoopGaps } from './loop-gaps.js';

/** The longest event-loop gap from the call of dump(value) to its first write, and the bytes written in all. */
async function gapBeforeFirstWrite(value: unknown): Promise<{ gap: number; bytes: number }> {
  // Timers already due fire first: the meter starts on a quiet loop.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const gaps = new LoopGaps();
  let gap = -1;
  let bytes = 0;
  const w = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (gap < 0) gap = gaps.longest();
      bytes += chunk.length;
      callback();
    },
  });
  await dump(value, w);
  gaps.stop();
  return { gap, bytes };
}

describe('the first write of a large container comes without a long stall', () => {
  it('a Map of 2,000,000 entries', async () => {
    const map = new Map(Array.from({ length: 2_000_000 }, (_, i) => [`k${i}`, i]));
    const { gap, bytes } = await gapBeforeFirstWrite(map);
    expect(bytes).toBeGreaterThan(2_000_000 * 8);
    // Measured: under 20 ms; the members coerced and searched first held it 0.7 s.
    expect(gap).toBeLessThan(150);
  });

  it('a Set of 1,000,000 objects', async () => {
    const set = new Set(Array.from({ length: 1_000_000 }, (_, i) => ({ i })));
    const { gap, bytes } = await gapBeforeFirstWrite(set);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify([...set])));
    // Measured: under 20 ms; searching every element first held it about a second.
    expect(gap).toBeLessThan(150);
  });

  it('a plain object of 1,000,000 keys: no longer than its one Object.keys', async () => {
    const o: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) o[`k${i}`] = i;
    let keysMs = Infinity;
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      Object.keys(o);
      keysMs = Math.min(keysMs, performance.now() - t);
    }
    const { gap, bytes } = await gapBeforeFirstWrite(o);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(o)));
    // The keys listed twice (by the plain check, then to write them) and every member searched
    // held it 2.2 times as long as one Object.keys.
    expect(gap, `Object.keys: ${keysMs.toFixed(0)} ms`).toBeLessThan(1.5 * keysMs + 100);
  });
});
