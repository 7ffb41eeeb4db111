// A toJSON that Object.keys does not show (non-enumerable, or on an array) is still the
// value's toJSON: its result is written by jsondump's rules (a Map as an object, a bigint as
// digits, Python number text), the same text at the root as at any depth, never by native
// JSON.stringify's rules on a fast path that did not see it.
import { describe, expect, it } from 'vitest';
import { allVariants, type Options } from '../helpers/variants.js';

/** `o` with a non-enumerable own toJSON returning `result()`. */
function hidden(o: object, result: () => unknown): object {
  return Object.defineProperty(o, 'toJSON', { value: result, enumerable: false });
}

const RESULTS: [string, () => unknown, Options?][] = [
  ['a Map', () => new Map<unknown, unknown>([['a', 1], [2, 'b']])],
  ['a bigint', () => 12345678901234567890n],
  ['a Set', () => new Set([1, 2])],
  ['a plain object', () => ({ x: [1, 'y'] })],
  ['a float, python dialect', () => ({ f: 1e16, g: 1e-7 }), { dialect: 'python' }],
  ['a float in a Map, python dialect', () => new Map([[1.5, 2.5]]), { dialect: 'python' }],
];

/** Where the object stands: nested in plain data (the fast path's ground), or in a run. */
const PLACES: [string, (o: object) => unknown][] = [
  ['as a member', (o) => ({ id: 1, o })],
  ['deep in plain data', (o) => ({ rows: [{ id: 1, a: { b: [o] } }] })],
  ['as an element of a top-level array', (o) => [1, o, 2]],
];

/** The text of `v` at the root, spliced into where `place` puts it. */
async function rootText(result: () => unknown, options: Options | undefined): Promise<string> {
  const texts = Object.values(await allVariants(() => result(), options));
  expect(new Set(texts).size).toBe(1);
  return texts[0];
}

describe('a toJSON Object.keys does not show is applied by the same rules at every depth', () => {
  for (const [what, result, options] of RESULTS) {
    for (const [place, put] of PLACES) {
      it(`non-enumerable toJSON returning ${what}, ${place}`, async () => {
        const inner = await rootText(result, options);
        const MARK = 'MARK-4f1c';
        const expected = Object.values(await allVariants(() => put({ toJSON: () => MARK }), options))[0].replace(JSON.stringify(MARK), inner);
        const texts = await allVariants(() => put(hidden({ ignored: true }, result)), options);
        for (const [variant, text] of Object.entries(texts)) expect(text, variant).toBe(expected);
      });

      it(`array with an own toJSON returning ${what}, ${place}`, async () => {
        const inner = await rootText(result, options);
        const MARK = 'MARK-4f1c';
        const expected = Object.values(await allVariants(() => put({ toJSON: () => MARK }), options))[0].replace(JSON.stringify(MARK), inner);
        const texts = await allVariants(() => put(hidden([1, 2], result)), options);
        for (const [variant, text] of Object.entries(texts)) expect(text, variant).toBe(expected);
      });
    }
  }

  it('JSON.stringify agrees where its rules and jsondump\'s are the same', async () => {
    const make = () => ({ a: [hidden({ secret: 1 }, () => ({ shown: 2 }))] });
    expect(JSON.stringify(make())).toBe('{"a":[{"shown":2}]}');
    for (const text of Object.values(await allVariants(make))) expect(text).toBe('{"a":[{"shown":2}]}');
  });
});
