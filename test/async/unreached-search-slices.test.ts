// The watch of an opened container's members (drive/watch.ts) reads one slice of them before
// the dump yields and the rest a slice per turn of the event loop: a large array is not read
// in one pass that holds the event loop before the first chunk, and what it reads costs no
// plain checks and no tables the size of the array.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringifyChunks } from '../../src/index.js';
import { PlainCheck } from '../../src/walk/plain.js';

const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'] }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the watch of a large array is cut into slices', () => {
  it('checks a small part of a large plain array before the first chunk', async () => {
    const checks = vi.spyOn(PlainCheck.prototype, 'count');
    const chunks = stringifyChunks(rows)[Symbol.asyncIterator]();
    await chunks.next();
    const before = checks.mock.calls.length;
    await chunks.return?.();
    expect(before).toBeGreaterThan(0);
    // The first chunk's own checks: the watch makes none.
    expect(before).toBeLessThan(rows.length / 5);
  });

  it('keeps the checks of a slice, not a table the size of the whole array', async () => {
    // Two million numbers: a table of anything per element would hold 16 MB or more.
    const numbers = Array.from({ length: 2_000_000 }, (_, i) => i);
    const chunks = stringifyChunks(numbers)[Symbol.asyncIterator]();
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    await chunks.next();
    const grown = used() - before;
    await chunks.return?.();
    expect(grown).toBeLessThan(8 << 20);
  });

  it('writes what JSON.stringify writes when the watch goes on over many yields', async () => {
    let text = '';
    for await (const chunk of stringifyChunks(rows, { chunkSize: 4096 })) text += chunk;
    expect(text).toBe(JSON.stringify(rows));
  });

  it('fails the dump with the error of a promise far on in the array, once the slices have passed it', async () => {
    const failure = new Error('late');
    let reject!: (error: Error) => void;
    const late = new Promise((_, r) => (reject = r));
    // 50,000 rows are a few slices; by the 40th chunk (about 1,000 rows written) the watch has
    // passed the promise, which then rejects while the consumer waits on a timer.
    const value = [...rows.slice(0, 50_000), late];
    let chunks = 0;
    const consume = async () => {
      for await (const chunk of stringifyChunks(value, { chunkSize: 1024 })) {
        void chunk;
        if (++chunks === 40) reject(failure);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    };
    await expect(consume()).rejects.toBe(failure);
    expect(chunks).toBe(40);
  });
});
