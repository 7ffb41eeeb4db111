// The search of unreached values does a slice of work before each yield, while the walk may
// write far more than that between two yields (a large chunkSize, a file sink gathering
// chunks). What the walk has passed is no longer unreached: the search goes on from where the
// walk is, so no part of the value is checked by both. The other way round, with a consumer
// slower than the search, the checks it keeps for the walk go no further than 2^18 elements
// ahead of it: their tables do not grow with the array.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringifyChunks } from '../../src/index.js';
import { PlainCheck } from '../../src/walk/plain.js';

const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'] }));

afterEach(() => {
  vi.restoreAllMocks();
});

async function textOf(value: unknown, chunkSize: number): Promise<string> {
  let text = '';
  for await (const chunk of stringifyChunks(value, { chunkSize })) text += chunk;
  return text;
}

describe('the search of unreached values behind the walk', () => {
  it('checks each row once when the walk writes more than a slice between yields', async () => {
    const checks = vi.spyOn(PlainCheck.prototype, 'count');
    // A chunk of 1M characters holds about 20,000 rows; the search makes one or two slices of
    // about 4,000 rows before it is handed out (two when the event loop is given a turn too).
    const text = await textOf(rows, 1 << 20);
    expect(text).toBe(JSON.stringify(rows));
    expect(checks.mock.calls.length).toBeLessThan(rows.length * 1.05);
  });

  it('checks each row once in an array below the top frame', async () => {
    const checks = vi.spyOn(PlainCheck.prototype, 'count');
    const value = { meta: { n: rows.length }, rows };
    const text = await textOf(value, 1 << 20);
    expect(text).toBe(JSON.stringify(value));
    expect(checks.mock.calls.length).toBeLessThan(rows.length * 1.05);
  });

  it('listens to a promise just ahead of the walk, however far the walk went between yields', async () => {
    // Chunks of 1M characters: about 20,000 rows each, five slices of the search. The rows
    // the first three chunks hold, from a run over the rows alone.
    const chunkSize = 1 << 20;
    let head = '';
    let n = 0;
    for await (const chunk of stringifyChunks(rows, { chunkSize })) {
      head += chunk;
      if (++n === 3) break;
    }
    const reached = head.split('{"id":').length - 1;
    // The promise is 1,000 rows past the end of the third chunk: the search made before that
    // chunk is handed out covers it; one that went on from where the last one stopped would not.
    const failure = new Error('late');
    let reject!: (error: Error) => void;
    const late = new Promise((_, r) => (reject = r));
    const value = [...rows.slice(0, reached + 1000), late, ...rows.slice(reached + 1000)];
    let chunks = 0;
    const consume = async () => {
      for await (const chunk of stringifyChunks(value, { chunkSize })) {
        void chunk;
        if (++chunks === 3) reject(failure);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    };
    await expect(consume()).rejects.toBe(failure);
    expect(chunks).toBe(3);
  });

  it('checks no further than 2^18 elements ahead of the walk in an array it has opened', async () => {
    const many = Array.from({ length: 400_000 }, (_, i) => ({ id: i }));
    const checks = vi.spyOn(PlainCheck.prototype, 'count');
    let chunks = 0;
    let checked = 0;
    // Small chunks, each taken after a turn of the event loop: about 100 rows written per
    // chunk, while a slice of the search checks thousands. (Stopping the dump then handles
    // the rest of the value at once: its checks are not counted.)
    for await (const chunk of stringifyChunks(many, { chunkSize: 1024 })) {
      void chunk;
      await new Promise((resolve) => setImmediate(resolve));
      checked = checks.mock.calls.length;
      if (++chunks === 100) break;
    }
    expect(checked).toBeGreaterThan(200_000);
    expect(checked).toBeLessThan((1 << 18) + 50_000);
  });
});
