// runExport with sources of its own making: the source is closed on success, failure and abort;
// a source that ignores the abort does not hold it up; its notes reach the summary; the flags
// reach the library as options.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '../../src/cli/command-line.js';
import type { ExportArgs } from '../../src/cli/export-args.js';
import { libraryOptions, runExport } from '../../src/cli/export.js';
import { summary } from '../../src/cli/messages.js';
import { type RecordBatch, type Source } from '../../src/cli/records.js';
import { SourceError } from '../../src/cli/errors.js';
import { useTempDir } from '../helpers/io.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { encodedBatches } from './helpers/output-helpers.js';

const tmp = useTempDir('cli-export');
const events = recordProcessEvents();

const argsFor = (...flags: string[]) => parseCommandLine(['export', 'fake:source', ...flags]) as ExportArgs;

interface FakeSource extends Source {
  closes: number;
}

function fakeSource(batches: () => AsyncIterable<RecordBatch>, extra: Partial<Source> = {}): FakeSource {
  const source: FakeSource = {
    name: 'fake',
    files: [],
    single: false,
    closes: 0,
    batches,
    fraction: () => null,
    notes: () => [],
    async close() {
      source.closes++;
    },
    ...extra,
  };
  return source;
}

/** Batches of records as a source encodes them, for the compact JSON array these tests write. */
async function* values(...batches: unknown[][]): AsyncGenerator<RecordBatch> {
  for (const values of batches) yield* encodedBatches(values, { options: {}, lines: false });
}

/** Runs the export of `source` into a fresh directory; returns the directory and the outcome. */
async function exportInto(source: Source, flags: string[] = [], signal = new AbortController().signal) {
  const dir = tmp.dir();
  const out = join(dir, 'out.json');
  writeFileSync(out, 'old content');
  const run = runExport(argsFor('-o', out, ...flags), { signal, progress: null, openSource: async () => source });
  const outcome = await run.then(
    (result) => ({ result, error: null }),
    (error: unknown) => ({ result: null, error }),
  );
  return { dir, out, ...outcome };
}

describe('the source is closed, once, whatever happens', () => {
  it('on success, with its notes in the result and the summary', async () => {
    const source = fakeSource(() => values([{ a: 1 }], [{ a: 2 }]), { notes: () => ['2 values were not JSON (kept as strings)'] });
    const { out, result } = await exportInto(source);
    expect(readFileSync(out, 'utf8')).toBe('[{"a":1},{"a":2}]');
    expect(source.closes).toBe(1);
    expect(result).toEqual({ rows: 2, bytes: 17, destination: out, notes: ['2 values were not JSON (kept as strings)'] });
    expect(summary(result!)).toBe(`jsondump: wrote 2 rows, 17 B to ${out}\njsondump: 2 values were not JSON (kept as strings)\n`);
  });

  it('when the source fails midway: the old file kept, no temporary file', async () => {
    const source = fakeSource(async function* () {
      yield* values([1, 2]);
      throw new SourceError('fake: connection lost');
    });
    const { dir, out, error } = await exportInto(source);
    expect(error).toEqual(new SourceError('fake: connection lost'));
    expect(source.closes).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('when -o names a file the source reads (refused before anything is written)', async () => {
    const dir = tmp.dir();
    const input = join(dir, 'input.jsonl');
    writeFileSync(input, '1\n');
    const source = fakeSource(() => values([1]), { files: [input] });
    const run = runExport(argsFor('-o', input), { signal: new AbortController().signal, progress: null, openSource: async () => source });
    await expect(run).rejects.toThrow(`-o ${input} is a file the source reads: write the output somewhere else`);
    expect(source.closes).toBe(1);
    expect(readFileSync(input, 'utf8')).toBe('1\n');
  });

  it('on abort, even when the source ignores the signal and never yields again', async () => {
    const controller = new AbortController();
    const source = fakeSource(async function* () {
      yield* values([1]);
      controller.abort(new Error('interrupted'));
      await new Promise(() => {}); // a read that never returns
    });
    const { dir, out, error } = await exportInto(source, [], controller.signal);
    expect(error).toEqual(new Error('interrupted'));
    expect(source.closes).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('on abort while opening, even when opening ignores the signal: closed once it opens', async () => {
    const controller = new AbortController();
    const source = fakeSource(() => values([1]));
    let opened = () => {};
    const opening = new Promise<Source>((resolve) => (opened = () => resolve(source)));
    const run = runExport(argsFor(), { signal: controller.signal, progress: null, openSource: () => opening });
    controller.abort(new Error('interrupted'));
    await expect(run).rejects.toThrow('interrupted');
    expect(source.closes).toBe(0);
    opened();
    await settle();
    expect(source.closes).toBe(1);
    expect(events.unhandled).toEqual([]);
  });

  it('a source that fails after the abort is no unhandled rejection', async () => {
    const controller = new AbortController();
    let fail = (_error: Error) => {};
    const source = fakeSource(async function* () {
      yield* values([1]);
      controller.abort(new Error('interrupted'));
      await new Promise((_, reject) => (fail = reject));
    });
    const { error } = await exportInto(source, [], controller.signal);
    expect(error).toEqual(new Error('interrupted'));
    fail(new Error('late'));
    await settle();
    expect(events.unhandled).toEqual([]);
  });
});

describe('the flags reach the library as options', () => {
  it('the defaults leave every option at the dialect default', () => {
    // absent, not false or null: the library refuses canonical with any layout option present
    expect(libraryOptions(argsFor())).toEqual({ dialect: 'js' });
    expect(libraryOptions(argsFor('--canonical'))).toEqual({ dialect: 'js', canonical: true });
    expect(libraryOptions(argsFor('--no-allow-nan'))).toEqual({ dialect: 'js', allowNaN: false });
  });

  it('each formatting flag becomes its option', () => {
    expect(libraryOptions(argsFor('--dialect', 'python', '--indent', '4', '--sort-keys', '--no-ensure-ascii', '--separators', '[",", ": "]'))).toEqual({
      dialect: 'python',
      indent: 4,
      sortKeys: true,
      ensureAscii: false,
      separators: [',', ': '],
    });
    expect(libraryOptions(argsFor('--ensure-ascii', '--escape-html', '--bigint', 'string'))).toMatchObject({ ensureAscii: true, escapeHTML: true, bigint: 'string' });
    expect(libraryOptions(argsFor('--canonical'))).toMatchObject({ canonical: true });
  });
});
