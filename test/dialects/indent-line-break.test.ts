// An indent string holding a line break ('x\n', ' \n', '\r\n') is written verbatim at every
// level, as JSON.stringify(v, null, indent) writes it: the native fast path re-indents nested
// text by rewriting its "\n", which must not touch the indent's own line breaks.
import { describe, expect, it } from 'vitest';
import { allVariants } from '../helpers/variants.js';

const INDENTS = ['x\n', ' \n', '\n', '\n\n', '\r\n', '\t\n ', '\n$&', '$\n$1'];

// A function member (dropped) makes its container not plain: the walk opens it and the plain
// data below goes native one level down, where its text must be re-indented.
const skip = (): void => {};

/** Plain data below a container the walk writes: nested objects and arrays, a run of rows. */
const VALUES: [string, () => unknown][] = [
  ['nested object', () => ({ skip, a: { b: { c: [1, { d: 'e' }] } }, f: [] })],
  ['rows', () => ({ skip, rows: Array.from({ length: 50 }, (_, i) => ({ id: i, tags: ['t', i], o: { n: null } })) })],
  ['array of arrays', () => [skip, [1, [2, [3]]], [], {}, { x: { skip, y: [[4]] } }]],
];

describe('indent strings holding line breaks, as JSON.stringify', () => {
  for (const indent of INDENTS) {
    for (const [name, make] of VALUES) {
      it(`${name}, indent ${JSON.stringify(indent)}`, async () => {
        const expected = JSON.stringify(make(), null, indent);
        for (const text of Object.values(await allVariants(make, { indent }))) expect(text).toBe(expected);
      });
    }
  }

  it('also inside values the walk writes itself (a Map, an iterable)', async () => {
    const make = () => ({ m: new Map([['k', { deep: [1, 2] }]]), s: new Set([{ a: [3] }]) });
    const plain = { m: { k: { deep: [1, 2] } }, s: [{ a: [3] }] };
    for (const indent of INDENTS) {
      const expected = JSON.stringify(plain, null, indent);
      for (const text of Object.values(await allVariants(make, { indent }))) expect(text).toBe(expected);
    }
  });
});
