// The byte-level row writer (RowBytes) against the row encoder it replaces in the workers
// (RowEncoder, itself checked against dumps in types-rows.test.ts) and against dumps directly:
// for random rows, options and batch sizes, a separated batch is the records' UTF-8 text, each
// after the output's separator, and a row that does not fit is moved whole to the next batch.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dumps, type DumpOptions } from '../../../src/index.js';
import { RowBytes, type SeparatedBatch } from '../../../src/cli/rows/row-bytes.js';
import { RowEncoder, type RowShape } from '../../../src/cli/rows/rows.js';
import { recordFrame } from '../../../src/cli/record-frame.js';

const value = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 0.1, 1e21, 5e-324, NaN, Infinity, -Infinity),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(2n ** 53n, -(2n ** 53n), 2n ** 53n - 1n, 9223372036854775807n),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('"\\\b\f\n\r\t\u0000\u001f\u007f', '\ud800', 'a\udc00b', '\ud83d\ude00', '{"a": 12345678901234567890}', '[1, 2', '{}'),
  fc.uint8Array({ maxLength: 12 }),
);

const options: fc.Arbitrary<DumpOptions> = fc.record(
  {
    dialect: fc.constantFrom('js' as const, 'python' as const),
    indent: fc.constantFrom(null, 2, '\t'),
    separators: fc.constantFrom<[string, string]>([',', ':'], [', ', ': ']),
    ensureAscii: fc.boolean(),
  },
  { requiredKeys: [] },
);

const columns = fc.uniqueArray(fc.constantFrom('id', 'a"b', 'naïve', '__proto__', '1', 'x'), { minLength: 1, maxLength: 5 });

/** The record texts of `rows`, from the reference encoder (it may change the rows it is given). */
function expectedRecords(shape: RowShape, opts: DumpOptions, lines: boolean, rows: unknown[][]): { texts: string[]; notJson: number } {
  const encoder = new RowEncoder(shape, { options: opts, lines });
  const texts = rows.map((row) => encoder.encode([...row]));
  return { texts, notJson: encoder.notJson };
}

/** Every record of separated batches, checked to follow the separator and to end where `ends` says. */
function recordsOf(batches: SeparatedBatch[], separator: string): string[] {
  const sep = Buffer.from(separator);
  const records: string[] = [];
  for (const batch of batches) {
    const bytes = Buffer.from(batch.bytes);
    expect(batch.ends.at(-1)).toBe(bytes.length);
    let start = 0;
    for (const end of batch.ends) {
      expect(bytes.subarray(start, start + sep.length).equals(sep)).toBe(true);
      records.push(bytes.subarray(start + sep.length, end).toString('utf8'));
      start = end;
    }
  }
  return records;
}

describe('byte-level row writer', () => {
  it('writes every row as the row encoder does, whatever the groups and batch sizes', () => {
    fc.assert(
      fc.property(
        columns.chain((names) =>
          fc.tuple(fc.constant(names), fc.array(fc.array(value, { minLength: names.length, maxLength: names.length }), { maxLength: 40 })),
        ),
        options,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('base64' as const, 'hex' as const, 'object' as const),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 7 }),
        ([names, rows], opts, lines, arrays, jsonCols, blob, size, group) => {
          if (lines) delete opts.indent;
          const shape: RowShape = { columns: names, arrays, jsonCols, blob };
          const expected = expectedRecords(shape, opts, lines, rows);
          const separator = recordFrame(opts, lines).separator;
          const writer = new RowBytes(shape, { options: opts, lines }, separator, size);
          const batches: SeparatedBatch[] = [];
          for (let i = 0; i < rows.length; i += group) {
            const part = rows.slice(i, i + group).map((row) => [...row]);
            writer.add(part, part.length, (batch) => batches.push(batch));
          }
          const last = writer.take();
          if (last !== null) batches.push(last);
          expect(recordsOf(batches, separator)).toEqual(expected.texts);
          expect(writer.notJson).toBe(expected.notJson);
        },
      ),
      { numRuns: 1500, seed: 20261130 },
    );
  });

  it('writes integers past 2^53 as their digits and a lone surrogate as JSON.stringify escapes it', () => {
    const shape: RowShape = { columns: ['i', 's', 'd'], arrays: false, jsonCols: false, blob: 'base64' };
    const writer = new RowBytes(shape, { options: {}, lines: true }, '\n');
    const rows = [[9223372036854775807n, 'a\ud800"\n', 0.1], [-(2n ** 53n) - 1n, '東京 😀', -0]];
    writer.add(rows, rows.length, () => {});
    const batch = writer.take() as SeparatedBatch;
    expect(Buffer.from(batch.bytes).toString('utf8')).toBe(
      '\n{"i":9223372036854775807,"s":"a\\ud800\\"\\n","d":0.1}\n{"i":-9007199254740993,"s":"東京 😀","d":0}',
    );
    expect(dumps(new Map<string, unknown>([['s', 'a\ud800"\n'], ['d', -0]]))).toBe(JSON.stringify({ s: 'a\ud800"\n', d: -0 }));
  });
});
