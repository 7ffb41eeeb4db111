// The search of unreached values keeps what it found plain before the walk reached it, for
// the walk. V8 grows a WeakMap by rehashing it whole, in one step: at 700,000 entries that
// step took 150 ms, a stall in the middle of a dump. Those tables do not grow with the size
// of the value.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringifyChunks } from '../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The most entries added to one WeakMap while `run` runs. */
async function largestTable(run: () => Promise<void>): Promise<number> {
  const sizes = new Map<object, number>();
  const count = (table: object) => sizes.set(table, (sizes.get(table) ?? 0) + 1);
  const set = WeakMap.prototype.set;
  vi.spyOn(WeakMap.prototype, 'set').mockImplementation(function (this: WeakMap<object, unknown>, k: object, v: unknown) {
    count(this);
    return set.call(this, k, v);
  });
  await run();
  return Math.max(0, ...sizes.values());
}

async function drain(value: unknown, options: object): Promise<void> {
  for await (const chunk of stringifyChunks(value, options)) void chunk;
}

describe('the tables of the search of unreached values', () => {
  it('stay small for members found plain before the walk reached them', async () => {
    // A function member (left out, as JSON.stringify leaves it) keeps a row from being plain;
    // its member `row` is.
    const rows = Array.from({ length: 300_000 }, (_, i) => ({ row: { id: i, tags: ['a'] }, f: () => i }));
    const largest = await largestTable(() => drain(rows, {}));
    expect(largest).toBeLessThan(100_000);
  });

  it('stay small for arrays checked before the walk opened them', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => ({ list: [{ id: i }], f: () => i }));
    const largest = await largestTable(() => drain(rows, {}));
    expect(largest).toBeLessThan(100_000);
  });
});
