// A getter is read once per value written, as JSON.stringify reads it: the native fast path
// must not read it to check the value and then let JSON.stringify read it again.
import { describe, expect, it } from 'vitest';
import { allVariants, type Options } from '../helpers/variants.js';

/** Makes values holding getters that count their reads; `reads()` lists each getter's count. */
function counting() {
  const counts: number[] = [];
  const getter = <T>(values: (n: number) => T) => {
    const i = counts.push(0) - 1;
    return () => values(++counts[i]);
  };
  return { getter, reads: () => counts };
}

/** An object with an enumerable getter `name`. */
function withGetter(o: object, name: string, get: () => unknown): object {
  return Object.defineProperty(o, name, { get, enumerable: true });
}

type Case = [string, (g: ReturnType<typeof counting>['getter']) => unknown, Options?];

const CASES: Case[] = [
  ['a getter in an object literal, nested', (g) => ({ row: withGetter({}, 'seq', g((n) => n)) })],
  ['a getter in a row of a run of rows', (g) => ({ rows: Array.from({ length: 20 }, (_, i) => (i === 7 ? withGetter({ id: i }, 'v', g((n) => n)) : { id: i, v: 0 })) })],
  ['a getter in a top-level row', (g) => [{ a: 1 }, withGetter({ b: 2 }, 'c', g((n) => n * 10)), { d: 3 }]],
  ['a getter returning a bigint from its second read', (g) => ({ a: withGetter({}, 'x', g((n) => (n === 1 ? 1 : 1n))) })],
  ['a getter returning an object', (g) => [withGetter({}, 'o', g((n) => ({ read: n, list: [n] })))]],
  ['a getter on an array index, nested', (g) => ({ list: Object.defineProperty([1, 2, 3], 1, { get: g((n) => n), enumerable: true }) })],
  ['a getter on an element of a top-level array', (g) => Object.defineProperty(['a', 'b'], 0, { get: g((n) => `read ${n}`), enumerable: true })],
  ['getters in a generator\'s rows', (g) => (function* () {
    for (let i = 0; i < 5; i++) yield withGetter({ i }, 'g', g((n) => n));
  })()],
  ['a getter, python dialect', (g) => ({ row: withGetter({ f: 0.5 }, 'seq', g((n) => n / 4)) }), { dialect: 'python' }],
  ['a getter, indented and sorted', (g) => ({ z: 1, row: withGetter({ b: 1 }, 'a', g((n) => [n])) }), { indent: 2, sortKeys: true }],
];

describe('getters are read once per value written', () => {
  for (const [name, make, options] of CASES) {
    it(name, async () => {
      // The expected text: JSON.stringify's (as python.json.dumps for the same plain data).
      const once = counting();
      const value = make(once.getter);
      const plain = JSON.parse(JSON.stringify(value instanceof Object && Symbol.iterator in value && !Array.isArray(value) ? [...(value as Iterable<unknown>)] : value)) as unknown;
      expect(once.reads().every((n) => n === 1)).toBe(true);

      const all: number[][] = [];
      const texts = await allVariants(() => {
        const c = counting();
        const v = make(c.getter);
        all.push(c.reads());
        return v;
      }, options);
      const reference = await allVariants(() => plain, options);
      for (const [variant, text] of Object.entries(texts)) expect(text, variant).toBe(reference[variant]);
      // One value may have been made only to be looked at (which variants apply), never written.
      const written = all.filter((reads) => reads.some((n) => n > 0));
      expect(all.length - written.length).toBeLessThanOrEqual(1);
      for (const reads of written) expect(reads).toEqual(reads.map(() => 1));
    });
  }

  it('JSON.stringify agrees on the text', async () => {
    const c = counting();
    const make = () => ({ row: withGetter({}, 'seq', c.getter((n) => n)) });
    expect(JSON.stringify(make())).toBe('{"row":{"seq":1}}');
    for (const text of Object.values(await allVariants(make))) expect(text).toBe('{"row":{"seq":1}}');
  });
});
