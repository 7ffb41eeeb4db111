// Separated batches (each record after the output's separator, as the database sources build
// them) are written exactly as the same records in batches without separators, which
// output-writer.test.ts checks against dump / dumpLines: for any layout, any batch sizes, mixed
// with batches without separators, and cut into parts by rows or bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DumpOptions } from '../../../src/index.js';
import { separatedBatches } from '../../../src/cli/rows/batches.js';
import { recordFrame } from '../../../src/cli/record-frame.js';
import { RecordWriter, type WriterOptions } from '../../../src/cli/output/record-writer.js';
import type { RecordBatch } from '../../../src/cli/records.js';
import { encodedBatches, memoryTarget, recordText, scriptedSource } from '../helpers/output-helpers.js';

const WRITER: WriterOptions = { splitRows: null, splitBytes: null, maxBytes: null, check: () => {}, finalNewline: false, onProgress: () => {} };

async function documents(batches: RecordBatch[], options: DumpOptions, lines: boolean, split: Partial<WriterOptions>): Promise<{ documents: string[]; rows: number[] }> {
  const target = memoryTarget();
  const source = scriptedSource(batches);
  const signal = new AbortController().signal;
  await new RecordWriter(recordFrame(options, lines), target, { ...WRITER, ...split }).write(source.batches({ options, lines }, signal), source, signal);
  return { documents: target.documents, rows: target.rows };
}

/** The records in batches of `size` bytes: runs without separators, and runs separated (`encoded`). */
function batchesOf(values: unknown[], runs: { encoded: boolean; length: number }[], size: number, options: DumpOptions, lines: boolean): RecordBatch[] {
  const layout = { options, lines };
  const batches: RecordBatch[] = [];
  let at = 0;
  for (const { encoded, length } of runs) {
    const run = values.slice(at, at + length);
    if (!encoded) batches.push(...encodedBatches(run, layout, size));
    else {
      const builder = separatedBatches(layout, size);
      run.forEach((value) => {
        const full = builder.add(recordText(value, layout));
        if (full !== null) batches.push(full);
      });
      const last = builder.take();
      if (last !== null) batches.push(last);
    }
    at += run.length;
  }
  if (at < values.length) batches.push(...encodedBatches(values.slice(at), layout, size));
  return batches;
}

const layouts = fc.record({
  lines: fc.boolean(),
  options: fc.record(
    {
      dialect: fc.constantFrom('js' as const, 'python' as const),
      indent: fc.constantFrom(null, 0, 2, '\t'),
      separators: fc.constantFrom<[string, string]>([',', ':'], [', ', ': '], [' ,\n', ' : ']),
      ensureAscii: fc.boolean(),
    },
    { requiredKeys: ['dialect'] },
  ),
});

describe('separated batches', () => {
  it('are written as the same records in batches without separators, whole or cut into parts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), { maxLength: 15 }),
        fc.array(fc.record({ encoded: fc.boolean(), length: fc.integer({ min: 0, max: 6 }) }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 120 }),
        layouts,
        fc.oneof(fc.constant({}), fc.record({ splitRows: fc.integer({ min: 1, max: 4 }) }), fc.record({ splitBytes: fc.integer({ min: 1, max: 150 }) })),
        async (values, runs, size, { options, lines }, split) => {
          if (lines && options.separators?.[0].includes('\n')) delete options.separators;
          if (lines) delete options.indent;
          const expected = await documents(encodedBatches(values, { options, lines }), options, lines, split);
          const actual = await documents(batchesOf(values, runs, size, options, lines), options, lines, split);
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 400, seed: 20261130 },
    );
  });
});
