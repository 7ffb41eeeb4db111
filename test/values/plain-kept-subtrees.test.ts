// A plain check that runs out of budget keeps the subtrees it found plain, so that the walk,
// going down into the containers that were too big, does not check them again. What it keeps
// must be written exactly as JSON.stringify writes it, counted once, and never outlive a
// change the walk could not see (a getter that changes a value found plain before).
import { describe, expect, it } from 'vitest';
import { dumps, measureSync } from '../../src/index.js';

/** The JSON values in `v`, as DumpStats.values counts them. */
function countValues(v: unknown): number {
  if (Array.isArray(v)) return 1 + v.reduce((n: number, x) => n + countValues(x), 0);
  if (typeof v === 'object' && v !== null) return 1 + Object.values(v).reduce((n: number, x) => n + countValues(x), 0);
  return 1;
}

/** A tree of about `size` nodes, each with a few members, kids nested `levels` deep. */
function tree(size: number, levels: number, id = { n: 0 }): object {
  const node: Record<string, unknown> = { id: id.n++, name: `n${id.n}`, w: id.n / 7 };
  if (levels > 0 && size > 1) {
    const k = size > 8 ? 2 : 1;
    node.kids = Array.from({ length: k }, () => tree(Math.floor((size - 1) / k), levels - 1, id));
  } else node.tags = ['x'];
  return node;
}

describe('subtrees kept by a check that ran out of budget', () => {
  // Trees from well under to well over the budget (about a thousand values at first).
  const forests = [50, 200, 400, 900, 1500, 3000].map((size) => Array.from({ length: 12 }, () => tree(size, 20)));

  for (const [name, options] of [
    ['compact', {}],
    ['indent 2', { indent: 2 }],
    ['small chunks', { chunkSize: 512 }],
  ] as const) {
    it(`trees around the budget are written as JSON.stringify writes them, each value counted once (${name})`, () => {
      for (const forest of forests) {
        const indent = 'indent' in options ? options.indent : undefined;
        expect(dumps(forest, options)).toBe(JSON.stringify(forest, null, indent));
        expect(measureSync(forest, options).values).toBe(countValues(forest));
      }
    });
  }

  it('a subtree found plain and changed by a getter before the walk meets it again is checked again', () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => i);
    const x: Record<string, unknown> = { n: 1, inner: numbers.slice(0, 150) };
    // The check of the first element finds x (inside y) plain, then runs out of budget in `big`.
    const value = [{ y: { x, pad: 1 }, big: numbers }, { get change() { x.n = 10n; return 0; } }, x];
    const text = dumps(value, { bigint: 'string' });
    const again = JSON.parse(text)[2] as { n: unknown };
    expect(again.n).toBe('10');
  });

  it('a kept subtree taken by the check of a container on the path is not kept past that container', () => {
    const numbers = Array.from({ length: 600 }, (_, i) => i);
    const x: Record<string, unknown> = { n: 1, inner: numbers.slice(0, 150) };
    // The first check finds `pad` and x plain, enters p with less than half its budget and runs
    // out in `rest`; the walk checks p again, taking x as kept, and writes p in one piece.
    const first = { pad: numbers, p: { x, rest: numbers.slice(0, 300) } };
    const value = [first, { get change() { x.n = 10n; return 0; } }, x];
    const again = JSON.parse(dumps(value, { bigint: 'string' }))[2] as { n: unknown };
    expect(again.n).toBe('10');
  });
});
