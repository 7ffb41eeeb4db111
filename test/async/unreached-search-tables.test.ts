// The search of unreached values keeps what it found plain before the walk reached it, for
// the walk, and what it looked into. V8 grows a WeakMap or WeakSet by rehashing it whole, in
// one step: at 700,000 entries that step took 150 ms, a stall in the middle of a dump. Those
// tables do not grow with the number of rows.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringifyChunks } from '../../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The most keys added to one WeakMap or WeakSet while `run` runs. */
async function largestTable(run: () => Promise<void>): Promise<number> {
  const keys = new Map<object, Set<WeakKey>>();
  const count = (table: object, key: WeakKey) => {
    if (!keys.has(table)) keys.set(table, new Set());
    keys.get(table)!.add(key);
  };
  const add = WeakSet.prototype.add;
  vi.spyOn(WeakSet.prototype, 'add').mockImplementation(function (this: WeakSet<WeakKey>, v: WeakKey) {
    count(this, v);
    return add.call(this, v);
  });
  const set = WeakMap.prototype.set;
  vi.spyOn(WeakMap.prototype, 'set').mockImplementation(function (this: WeakMap<WeakKey, unknown>, k: WeakKey, v: unknown) {
    count(this, k);
    return set.call(this, k, v);
  });
  await run();
  return Math.max(0, ...[...keys.values()].map((k) => k.size));
}

async function drain(value: unknown, options: object): Promise<void> {
  for await (const chunk of stringifyChunks(value, options)) void chunk;
}

describe('the tables of the search of unreached values', () => {
  it('stay small for rows looked into one by one (nothing goes native)', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => ({ id: i, tags: ['a'], at: { n: i } }));
    const largest = await largestTable(() => drain(rows, { replacer: (_key: string, v: unknown) => v }));
    expect(largest).toBeLessThan(100_000);
  });

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
