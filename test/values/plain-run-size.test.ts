// Each plain run or subtree goes through one native JSON.stringify, and its text is kept under
// 64K characters whatever the values hold (long texts, deep indentation, short rows): V8 makes
// a longer string (over 128 KiB once it holds a character beyond Latin-1) a large object, on
// fresh pages, several times the cost per byte. The walk's pieces show each native text (the
// writer keeps long texts as pieces of their own).
import { describe, expect, it } from 'vitest';
import { resolveOptions, type DumpOptions } from '../../src/options.js';
import { Step, Walker } from '../../src/walk/walker.js';

/** The lengths of the pieces a sync walk of `value` hands out, and the text they make. */
function walk(value: unknown, options: DumpOptions): { lengths: number[]; text: string } {
  const w = new Walker(value, resolveOptions(options), { async: false });
  const lengths: number[] = [];
  let text = '';
  for (;;) {
    const s = w.step();
    for (const p of w.takePieces()) {
      lengths.push(p.length);
      text += p;
    }
    if (s === Step.Done) return { lengths, text };
  }
}

const LIMIT = 65536;

const longTexts = Array.from({ length: 3000 }, (_, i) => ({
  id: i,
  body: `"quoted" \\ \n\t\u0001 中文文本 👩‍👩‍👧‍👦 \u2028 `.repeat(40 + (i % 20)),
  'a "key"\nwith a line break': 'ü'.repeat(i % 50),
}));

function tree(level: number, id: { n: number }): object {
  const node: Record<string, unknown> = { id: id.n++, title: `Überblick ${level}`, meta: { w: level / 3, tags: ['x', 'y'] } };
  if (level < 20) node.children = [tree(level + 1, id), ...(level % 3 === 0 ? [tree(level + 1, id)] : [])];
  return node;
}
const forest = Array.from({ length: 40 }, () => tree(1, { n: 0 }));

const rows = Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: 'Łukasz Wiśniewski', city: 'Kraków', at: '2020-01-01T00:00:00.000Z', tags: ['a'] }));

describe('native texts stay under 64K characters', () => {
  const cases: [string, unknown, DumpOptions][] = [
    ['long escaped texts, compact', longTexts, {}],
    ['long escaped texts, indent 2', longTexts, { indent: 2 }],
    ['deep uneven trees, indent 2', forest, { indent: 2 }],
    ['short non-ASCII rows, indent 2', rows, { indent: 2 }],
    ['short non-ASCII rows, compact', rows, {}],
  ];
  it.each(cases)('%s', (_name, value, options) => {
    const { lengths, text } = walk(value, options);
    expect(text).toBe(JSON.stringify(value, null, options.indent ?? undefined));
    // Native texts are the pieces of 4K characters or more; after the first, which the budget
    // learns the text per value from.
    const large = lengths.filter((n) => n >= 4096);
    expect(large.length).toBeGreaterThan(10);
    expect(Math.max(...large.slice(1))).toBeLessThan(LIMIT);
    // The runs are not cut to crumbs either: most of the text is in them.
    expect(large.reduce((a, b) => a + b, 0)).toBeGreaterThan(text.length / 2);
  });
});
