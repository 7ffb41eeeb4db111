// ERR_ABORTED names where the walk was when the signal fired: the member whose promise it was
// waiting for, the next element of a cursor, the stream being read — never an empty key.
import { describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { JSONDumpError } from '../../src/index.js';
import { allVariantsSettled, ASYNC_VARIANTS, describeError } from '../helpers/variants.js';
import { tick } from '../helpers/process-events.js';

/**
 * Called by a stalled value once the walk waits on it. A timer alone raced the walk: a variant
 * writing to a file opened it first, and on a loaded machine the signal fired before the walk
 * had reached the value (the path was \`$\`).
 */
let waiting: () => void = () => {};

/** A byte stream that sends one chunk and then waits forever. */
function stalledBytes(): Readable {
  const s = new PassThrough();
  s.write('abc');
  const read = s.read.bind(s);
  s.read = (size?: number) => {
    const chunk = read(size);
    if (chunk === null) waiting();
    return chunk;
  };
  return s;
}

/** An async generator that yields `n` rows and then waits forever. */
async function* stalledRows(n: number): AsyncGenerator<unknown> {
  for (let i = 0; i < n; i++) yield { id: i };
  waiting();
  await new Promise(() => {});
}

const CASES: [string, () => unknown, string][] = [
  ['a byte stream at the root', stalledBytes, '$'],
  ['a byte stream in a member', () => ({ data: stalledBytes() }), '$.data'],
  ['a byte stream in an array', () => [1, stalledBytes()], '$[1]'],
  ['a promise in a member', () => ({ a: 1, data: new Promise(() => {}) }), '$.data'],
  ['a promise at the root', () => new Promise(() => {}), '$'],
  ['a cursor at the root, waiting for its 4th row', () => stalledRows(3), '$[3]'],
  ['a cursor in a member, waiting for its first row', () => ({ rows: stalledRows(0) }), '$.rows[0]'],
  ['an object-mode Readable waiting for its 2nd row', () => ({ r: Readable.from(stalledRows(1)) }), '$.r[1]'],
];

describe('ERR_ABORTED paths', () => {
  for (const [name, make, path] of CASES) {
    it(`${name}: ${path}`, async () => {
      for (const variant of ASYNC_VARIANTS) {
        // A signal per variant, aborted once the walk waits: when a stream or cursor says it
        // does, or (a promise, which cannot say) after 200 ms.
        const controller = new AbortController();
        waiting = () => setTimeout(() => controller.abort(), 10);
        const timer = setTimeout(() => controller.abort(), 200);
        const r = (await allVariantsSettled(make, { signal: controller.signal }, { async: true, only: [variant] }))[variant];
        clearTimeout(timer);
        if (r === undefined) continue; // the variant does not apply to this value
        await tick(10);
        expect(r.ok, variant).toBe(false);
        if (r.ok) continue;
        expect(describeError(r.error), variant).toBe(`ERR_ABORTED ${path}`);
        expect((r.error as JSONDumpError).message, variant).toBe(`the dump was aborted at ${path}`);
      }
    });
  }
});
