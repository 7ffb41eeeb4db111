// The search of what an async dump has not reached runs before each yield, but for one slice
// of work at most: a large plain value is searched over many yields, nearest first, not in one
// pass that holds the event loop before the first chunk.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringifyChunks } from '../src/index.js';
import { PlainCheck } from '../src/walk/plain.js';

const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'] }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the search of unreached values is cut into slices', () => {
  it('checks a small part of a large plain array before the first chunk', async () => {
    const checks = vi.spyOn(PlainCheck.prototype, 'count');
    const chunks = stringifyChunks(rows)[Symbol.asyncIterator]();
    await chunks.next();
    const before = checks.mock.calls.length;
    await chunks.return?.();
    expect(before).toBeGreaterThan(0);
    // The first chunk's own checks, and one slice of the search.
    expect(before).toBeLessThan(rows.length / 5);
  });

  it('writes what JSON.stringify writes when the search goes on over many yields', async () => {
    let text = '';
    for await (const chunk of stringifyChunks(rows, { chunkSize: 4096 })) text += chunk;
    expect(text).toBe(JSON.stringify(rows));
  });

  it('still fails the dump with the error of a promise at the end that rejects later', async () => {
    const failure = new Error('late');
    const late = new Promise((_, reject) => setTimeout(() => reject(failure), 30));
    const value = [...rows, late];
    const consume = async () => {
      for await (const chunk of stringifyChunks(value, { chunkSize: 1024 })) {
        void chunk;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    await expect(consume()).rejects.toBe(failure);
  });
});
