// The row encoder of the database sources against the library itself (the oracle: dumps, which is
// checked against JSON.stringify and CPython): for random rows and random output options, a
// row's text is exactly what dumps writes for that record as an array element or a JSON line.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dumps, rawJSON, type DumpOptions } from '../../../src/index.js';
import { parseJson } from '../../../src/cli/rows/json-text.js';
import { RowEncoder } from '../../../src/cli/rows/rows.js';
import { blobValue } from '../../../src/cli/rows/values.js';

const value = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 0.1, 1e21, 5e-324, NaN, Infinity),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.uint8Array({ maxLength: 12 }),
);

const options: fc.Arbitrary<DumpOptions> = fc.record(
  {
    dialect: fc.constantFrom('js' as const, 'python' as const),
    indent: fc.constantFrom(null, 0, 1, 2, 4, '\t', ' x'),
    separators: fc.constantFrom<[string, string]>([',', ':'], [', ', ': '], [' ,', ' = ']),
    sortKeys: fc.boolean(),
    ensureAscii: fc.boolean(),
  },
  { requiredKeys: [] },
);

const columnNames = fc.uniqueArray(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('1', '10', '__proto__', 'a"b', 'id')), {
  minLength: 1,
  maxLength: 6,
});

const MAX_SAFE = 2n ** 53n - 1n;

/** The record the library would be given: safe integers as numbers, bytes as --blob writes them. */
function record(names: string[], row: unknown[], arrays: boolean, blob: 'base64' | 'hex' | 'object'): unknown {
  const values = row.map((v) => {
    if (typeof v === 'bigint' && v <= MAX_SAFE && v >= -MAX_SAFE) return Number(v);
    if (v instanceof Uint8Array) return blobValue(v, blob);
    return v;
  });
  return arrays ? values : new Map(names.map((name, i) => [name, values[i]]));
}

/** The text around a record placed as an array element by dumps. */
function around(opts: DumpOptions): [string, string] {
  const text = dumps([0], opts);
  const at = text.indexOf('0');
  return [text.slice(0, at), text.slice(at + 1)];
}

describe('row encoder', () => {
  it('writes each row as dumps writes the record, for every option', () => {
    fc.assert(
      fc.property(
        columnNames.chain((names) => fc.tuple(fc.constant(names), fc.array(value, { minLength: names.length, maxLength: names.length }))),
        options,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('base64' as const, 'hex' as const, 'object' as const),
        ([names, row], opts, lines, arrays, blob) => {
          if (lines) delete opts.indent;
          const encoder = new RowEncoder({ columns: names, arrays, jsonCols: false, blob }, { options: opts, lines });
          const expected = record(names, row, arrays, blob);
          const text = encoder.encode([...row]);
          if (lines) expect(text).toBe(dumps(expected, opts));
          else {
            const [before, after] = around(opts);
            expect(before + text + after).toBe(dumps([expected], opts));
          }
        },
      ),
      { numRuns: 2000, seed: 20261130 },
    );
  });

  it('writes --blob hex and object forms as the library writes those values', () => {
    const bytes = Uint8Array.from([0, 255, 16]);
    for (const blob of ['hex', 'object'] as const) {
      const encoder = new RowEncoder({ columns: ['b'], arrays: false, jsonCols: false, blob }, { options: { indent: 2 }, lines: false });
      const [before, after] = around({ indent: 2 });
      expect(before + encoder.encode([bytes]) + after).toBe(dumps([new Map([['b', blobValue(bytes, blob)]])], { indent: 2 }));
    }
  });
});

describe('embedded JSON', () => {
  it('parses like JSON.parse, keeping key order and every number as its text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        const parsed = parseJson(text);
        // written back with the library, the text is JSON.stringify's (key order and number text kept)
        expect(dumps(parsed)).toBe(text);
      }),
      { numRuns: 1000, seed: 20261130 },
    );
  });

  it('keeps numbers a double cannot hold, and integer-like keys where they were', () => {
    const text = '{"b": 12345678901234567890, "10": 1.0, "a": [1e400, -0.000]}';
    expect(dumps(parseJson(text))).toBe('{"b":12345678901234567890,"10":1.0,"a":[1e400,-0.000]}');
    expect(dumps(rawJSON('1'))).toBe('1');
  });

  it('is undefined for text that is not JSON', () => {
    expect(parseJson('{"a":')).toBeUndefined();
    expect(parseJson('[not json')).toBeUndefined();
  });

  it('nests any depth without the call stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    let v = parseJson(deep) as unknown[];
    let depth = 1;
    while (v.length > 0) {
      v = v[0] as unknown[];
      depth++;
    }
    expect(depth).toBe(100_000);
  });
});
