// The watch of an opened array's members (drive/watch.ts) reads a slice of them per turn of the
// event loop, while the walk may write far more than that between two yields (a large
// chunkSize, a file sink gathering chunks). What the walk has passed needs no watching: the
// watch goes on from where the walk is. It makes no plain check of its own: each row is checked
// once, by the walk.
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

describe('the watch of an array the walk has opened, behind the walk', () => {
  it('checks each row once when the walk writes more than a slice between yields', async () => {
    const checks = vi.spyOn(PlainCheck.prototype, 'count');
    // A chunk of 1M characters holds about 20,000 rows.
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
    // Chunks of 1M characters: about 20,000 rows each, more than a slice of the watch. The rows
    // the first three chunks hold, from a run over the rows alone.
    const chunkSize = 1 << 20;
    let head = '';
    let n = 0;
    for await (const chunk of stringifyChunks(rows, { chunkSize })) {
      head += chunk;
      if (++n === 3) break;
    }
    const reached = head.split('{"id":').length - 1;
    // The promise is 1,000 rows past the end of the third chunk: the watch, going on from where
    // the walk is, has it by then; one that went on from where its last slice stopped might not.
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
});
