// The writer against the library it frames: records arriving in any batches, whole as the
// sources' batch builder gathers them or cut anywhere (a record spanning batches), are written byte for byte as
// `dump(records)` / `dumpLines(records)` write them, for every layout; parts are each that too.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { dump, dumpLines, dumps, type DumpOptions } from '../../../src/index.js';
import { recordFrame } from '../../../src/cli/record-frame.js';
import { RecordWriter, type WriterOptions } from '../../../src/cli/output/record-writer.js';
import { type RecordBatch, type Source } from '../../../src/cli/records.js';
import { SourceError } from '../../../src/cli/errors.js';
import { documentSource, encodedBatches, memoryTarget, recordsSource, recordText, scriptedSource, type MemoryTarget } from '../helpers/output-helpers.js';

async function libraryText(records: unknown[], options: DumpOptions, lines: boolean): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await (lines ? dumpLines(records, sink, options) : dump(records, sink, options));
  return Buffer.concat(chunks).toString('utf8');
}

const WRITER: WriterOptions = { splitRows: null, splitBytes: null, maxBytes: null, check: () => {}, finalNewline: false, onProgress: () => {} };

async function written(source: Source, options: DumpOptions, lines: boolean, writer: Partial<WriterOptions> = {}): Promise<MemoryTarget> {
  const target = memoryTarget();
  const frame = recordFrame(options, lines);
  await new RecordWriter(frame, target, { ...WRITER, ...writer }).write(source.batches({ options, lines }, new AbortController().signal), source, new AbortController().signal);
  return target;
}

// Separators and indents made of JSON white space, the only ones the CLI accepts
const space = (chars: string, max: number) => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength: max });
const separators = (lineBreaks: boolean) => {
  const ws = space(lineBreaks ? ' \t\n\r' : ' \t', 3);
  return fc.tuple(ws, ws, ws, ws).map(([a, b, c, d]): [string, string] => [`${a},${b}`, `${c}:${d}`]);
};
const layouts = fc.oneof(
  fc.record({
    lines: fc.constant(false),
    options: fc.record(
      {
        dialect: fc.constantFrom('js' as const, 'python' as const),
        indent: fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 8 }), space(' \t\n\r', 4)),
        separators: separators(true),
        sortKeys: fc.boolean(),
        ensureAscii: fc.boolean(),
      },
      { requiredKeys: ['dialect'] },
    ),
  }),
  fc.record({
    lines: fc.constant(true),
    options: fc.record(
      { dialect: fc.constantFrom('js' as const, 'python' as const), separators: separators(false), sortKeys: fc.boolean(), ensureAscii: fc.boolean() },
      { requiredKeys: ['dialect'] },
    ),
  }),
);
const records = fc.array(
  fc.oneof(fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), fc.bigInt().map((n) => ({ n, s: `é${n}` }))),
  { maxLength: 12 },
);

/** How each record arrives: in a batch of whole records from the sources' builder or in bytes cut somewhere, a new batch before it or not, cut where. */
const plans = fc.array(fc.record({ encoded: fc.boolean(), newBatch: fc.boolean(), cut: fc.double({ min: 0, max: 1, noNaN: true }) }), {
  minLength: 12,
  maxLength: 12,
});

type Plan = { encoded: boolean; newBatch: boolean; cut: number };

/** The records as batches following `plan`; an encoded record cut in two continues in the next batch. */
function batchesOf(values: unknown[], plan: Plan[], options: DumpOptions, lines: boolean): RecordBatch[] {
  const layout = { options, lines };
  const batches: RecordBatch[] = [];
  let current: 'whole' | 'cut' | null = null;
  let whole: unknown[] = [];
  let pending: Buffer[] = [];
  let ends: number[] = [];
  let size = 0;
  const flush = () => {
    if (current === 'cut') batches.push({ kind: 'encoded', bytes: Buffer.concat(pending), ends });
    else if (current === 'whole') batches.push(...encodedBatches(whole, layout));
    current = null;
    whole = [];
    pending = [];
    ends = [];
    size = 0;
  };
  values.forEach((value, i) => {
    const { encoded, newBatch, cut } = plan[i];
    if (newBatch || current === null || (current === 'cut') !== encoded) flush();
    if (!encoded) {
      current = 'whole';
      whole.push(value);
      return;
    }
    current = 'cut';
    const bytes = Buffer.from(recordText(value, layout));
    const at = Math.floor(cut * bytes.length);
    if (at > 0 && at < bytes.length) {
      // The record's first bytes end this batch; the rest opens the next one
      pending.push(bytes.subarray(0, at));
      size += at;
      flush();
      current = 'cut';
      pending.push(bytes.subarray(at));
      size = bytes.length - at;
    } else {
      pending.push(bytes);
      size += bytes.length;
    }
    ends.push(size);
  });
  flush();
  return batches;
}

describe('the writer writes what dump / dumpLines write', () => {
  it('for any records, layout and batching (whole records, records cut, records spanning batches)', async () => {
    await fc.assert(
      fc.asyncProperty(records, layouts, plans, async (values, { options, lines }, plan) => {
        const target = await written(scriptedSource(batchesOf(values, plan, options, lines)), options, lines);
        expect(target.documents).toEqual([await libraryText(values, options, lines)]);
        expect(target.rows).toEqual([values.length]);
        expect(target.committed).toBe(true);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('cut into parts by rows or bytes: each part is dump(its records), together all of them', async () => {
    await fc.assert(
      fc.asyncProperty(
        records,
        layouts,
        plans,
        fc.oneof(fc.record({ splitRows: fc.integer({ min: 1, max: 5 }) }), fc.record({ splitBytes: fc.integer({ min: 1, max: 200 }) })),
        async (values, { options, lines }, plan, split) => {
          const target = await written(scriptedSource(batchesOf(values, plan, options, lines)), options, lines, split);
          let first = 0;
          for (const [i, document] of target.documents.entries()) {
            const part = values.slice(first, first + target.rows[i]);
            expect(document).toBe(await libraryText(part, options, lines));
            if (part.length > 1 && 'splitBytes' in split) expect(Buffer.byteLength(document)).toBeLessThanOrEqual(split.splitBytes);
            if ('splitRows' in split) expect(part.length).toBeLessThanOrEqual(split.splitRows);
            first += part.length;
          }
          expect(first).toBe(values.length);
          // no empty part, unless there is nothing at all
          expect(target.rows.every((n) => n > 0) || values.length === 0).toBe(true);
        },
      ),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('a part holds as many records as fit: the next one would not have', async () => {
    const values = Array.from({ length: 10 }, (_, i) => ({ i }));
    const options = { indent: 1 };
    const target = await written(recordsSource(values), options, false, { splitBytes: 40 });
    for (const [i, rows] of target.rows.slice(0, -1).entries()) {
      const start = target.rows.slice(0, i).reduce((a, b) => a + b, 0);
      expect(Buffer.byteLength(dumps(values.slice(start, start + rows + 1), options))).toBeGreaterThan(40);
    }
  });

  it('a single value is written bare, as dumps writes it; in JSON Lines as one line', async () => {
    const value = { a: [1, { b: 'é' }] };
    for (const options of [{}, { indent: 2 }, { dialect: 'python' as const }]) {
      const document = await written(documentSource(value), options, false);
      expect(document.documents).toEqual([dumps(value, options)]);
    }
    const encoded = await written(scriptedSource([{ kind: 'encoded', bytes: Buffer.from('{"a":'), ends: [] }, { kind: 'encoded', bytes: Buffer.from('1}'), ends: [2] }], true), {}, false);
    expect(encoded.documents).toEqual(['{"a":1}']);
    const line = await written(documentSource(value), {}, true);
    expect(line.documents).toEqual([dumps(value) + '\n']);
  });

  it('no records: [] and an empty JSON Lines file; stdout ends with a newline', async () => {
    expect((await written(scriptedSource([]), { indent: 2 }, false)).documents).toEqual(['[]']);
    expect((await written(scriptedSource([]), {}, true)).documents).toEqual(['']);
    expect((await written(scriptedSource([]), {}, false, { finalNewline: true })).documents).toEqual(['[]\n']);
    expect((await written(recordsSource([1, 2]), {}, false, { finalNewline: true })).documents).toEqual(['[1,2]\n']);
    expect((await written(recordsSource([1, 2]), {}, true, { finalNewline: true })).documents).toEqual(['1\n2\n']);
  });
});

describe('the writer fails whole', () => {
  it('past --max-bytes, before writing more', async () => {
    const target = memoryTarget();
    const source = recordsSource(['x'.repeat(10), 'y']);
    const writer = new RecordWriter(recordFrame({}, false), target, { ...WRITER, maxBytes: 15 });
    await expect(writer.write(source.batches({ options: {}, lines: false }, new AbortController().signal), source, new AbortController().signal)).rejects.toThrow(
      new SourceError('the output passes --max-bytes (15 bytes)'),
    );
    expect(target.committed).toBe(false);
    expect(target.documents).toEqual([]);
  });

  it('when the check of the row count refuses, before the last document is completed', async () => {
    const target = memoryTarget();
    const source = recordsSource([{ a: 1 }, { a: 2 }]);
    const check = (rows: number) => {
      throw new SourceError(`refused ${rows}`);
    };
    const writer = new RecordWriter(recordFrame({}, false), target, { ...WRITER, check });
    await expect(writer.write(source.batches({ options: {}, lines: false }, new AbortController().signal), source, new AbortController().signal)).rejects.toThrow('refused 2');
    expect(target.documents).toEqual([]);
    expect(target.committed).toBe(false);
  });

  it('an encoded record left open at the end', async () => {
    const source = scriptedSource([{ kind: 'encoded', bytes: Buffer.from('{"a":'), ends: [] }]);
    await expect(written(source, {}, false)).rejects.toThrow(new SourceError('scripted: the last record has no end'));
  });

  it("a destination's error, as it is", async () => {
    const target = memoryTarget(1);
    const source = recordsSource(['x'.repeat(70_000)], [{ a: 1 }]);
    const writer = new RecordWriter(recordFrame({}, false), target, WRITER);
    await expect(writer.write(source.batches({ options: {}, lines: false }, new AbortController().signal), source, new AbortController().signal)).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    expect(target.committed).toBe(false);
  });

  it('stops at an abort between batches', async () => {
    const controller = new AbortController();
    const target = memoryTarget();
    let yielded = 0;
    const source: Source = {
      ...scriptedSource([]),
      async *batches() {
        for (;;) {
          yielded++;
          if (yielded === 3) controller.abort(new Error('stop'));
          yield* encodedBatches([yielded], { options: {}, lines: false });
        }
      },
    };
    const writer = new RecordWriter(recordFrame({}, false), target, WRITER);
    await expect(writer.write(source.batches({ options: {}, lines: false }, controller.signal), source, controller.signal)).rejects.toThrow('stop');
    expect(yielded).toBe(3);
    expect(target.committed).toBe(false);
  });
});
