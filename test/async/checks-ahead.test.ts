// An async walk with chunks of a few characters yields everywhere: between its steps the watch
// reads the members of the open containers (drive/watch.ts), and its plain checks and runs are
// cut at every chunk. Its text and its DumpStats must be the sync walk's.
// Seeded and bounded (helpers/fuzz.ts); `npm run fuzz` runs more.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumps, JSONDumpError, measure, measureSync, stringifyChunks } from '../../src/index.js';
import type { DumpStats } from '../../src/index.js';
import { jsValue } from '../helpers/arbitraries.js';
import { describeRun, fuzzParams } from '../helpers/fuzz.js';
import type { Options } from '../helpers/variants.js';

/** The text, or the code of the JSONDumpError it fails with. */
async function outcome<T>(run: () => Promise<T> | T): Promise<T | string> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof JSONDumpError) return `!${e.code}`;
    throw e;
  }
}

async function joined(chunks: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of chunks) s += c;
  return s;
}

const options = fc.constantFrom<Options>(
  {},
  { indent: 2 },
  { sortKeys: true },
  { maxDepth: 3 },
  { replacer: ['a', 'b', '0'] },
  { ensureAscii: true, chunkSize: 64 },
  { dialect: 'python', skipKeys: true, allowNaN: true } as Options,
);

const NAME = 'an async walk with tiny chunks writes the sync walk\'s text and stats';
const RUNS = 300;

describe('an async walk that yields everywhere', () => {
  it(`${NAME} (${describeRun(NAME, RUNS)})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsValue, { minLength: 1, maxLength: 30 }), options, async (rows, o) => {
        // Rows of rows: arrays whose elements are watched, and objects holding them.
        const value = { rows, more: [rows, { rows }] };
        const small = { chunkSize: 8, ...o } as Options;
        const expected = await outcome(() => dumps(value, small));
        expect(await outcome(() => joined(stringifyChunks(value, small)))).toEqual(expected);
        const stats = (s: DumpStats) => s.values;
        expect(await outcome(async () => stats(await measure(value, small)))).toEqual(await outcome(() => stats(measureSync(value, small))));
      }),
      fuzzParams(NAME, RUNS),
    );
  });
});
