// In-memory targets and scripted sources for the writer's tests.
import { dumps } from '../../../src/index.js';
import type { Output, Written } from '../../../src/cli/output/output-file.js';
import { recordFrame } from '../../../src/cli/record-frame.js';
import { BatchBuilder } from '../../../src/cli/rows/batches.js';
import type { Target } from '../../../src/cli/output/targets.js';
import type { RecordBatch, RecordLayout, Source } from '../../../src/cli/records.js';

export interface MemoryTarget extends Target {
  /** The complete documents, in order. */
  documents: string[];
  /** Records per document, as the writer reported them. */
  rows: number[];
  committed: boolean;
  aborted: boolean;
}

/** A target that keeps each document as a string; `failAt` makes the nth write (from 1) reject. */
export function memoryTarget(failAt = 0): MemoryTarget {
  let writes = 0;
  const target: MemoryTarget = {
    documents: [],
    rows: [],
    committed: false,
    aborted: false,
    async next() {
      const chunks: Buffer[] = [];
      const output: Output & { text(): string } = {
        async write(chunk) {
          if (++writes === failAt) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
          chunks.push(Buffer.from(chunk));
        },
        async finish(): Promise<Written> {
          return { bytes: 0, sha256: null };
        },
        async abort() {},
        text: () => Buffer.concat(chunks).toString('utf8'),
      };
      return output;
    },
    async done(output, rows) {
      target.documents.push((output as Output & { text(): string }).text());
      target.rows.push(rows);
    },
    async commit() {
      target.committed = true;
    },
    async abort() {
      target.aborted = true;
    },
  };
  return target;
}

/** A source that yields `batches` as they are given (a function: made from the layout). */
export function scriptedSource(batches: RecordBatch[] | ((layout: RecordLayout) => RecordBatch[]), single = false): Source & { closed: number } {
  const source = {
    name: 'scripted',
    files: [] as string[],
    single,
    closed: 0,
    async *batches(layout: RecordLayout) {
      yield* typeof batches === 'function' ? batches(layout) : batches;
    },
    fraction: () => null,
    notes: () => [],
    async close() {
      source.closed++;
    },
  };
  return source;
}

/** `value` laid out as an element of `dump(records)` (or a line of `dumpLines`): the library's own text, cut out of a one-element array. */
export function recordText(value: unknown, layout: RecordLayout): string {
  if (layout.lines) return dumps(value, layout.options);
  const frame = recordFrame(layout.options, false);
  return dumps([value], layout.options).slice(frame.open.length, -frame.close.length);
}

/** `values` as a source hands records over: each laid out by recordText, gathered by the sources' batch builder. */
export function encodedBatches(values: unknown[], layout: RecordLayout, size?: number): RecordBatch[] {
  const builder = new BatchBuilder(size);
  const batches: RecordBatch[] = [];
  for (const value of values) {
    const full = builder.add(recordText(value, layout));
    if (full !== null) batches.push(full);
  }
  const last = builder.take();
  if (last !== null) batches.push(last);
  return batches;
}

/** A source of `runs` of records, each run encoded (see encodedBatches) when the writer asks for the batches. */
export function recordsSource(...runs: unknown[][]): Source & { closed: number } {
  return scriptedSource((layout) => runs.flatMap((run) => encodedBatches(run, layout)));
}

/** A `single` source: `value` as one document, laid out as dumps lays it out. */
export function documentSource(value: unknown): Source & { closed: number } {
  return scriptedSource((layout) => {
    const bytes = Buffer.from(dumps(value, layout.options));
    return [{ kind: 'encoded', bytes, ends: [bytes.length] }];
  }, true);
}
