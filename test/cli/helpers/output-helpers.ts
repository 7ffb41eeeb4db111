// In-memory targets and scripted sources for the writer's tests.
import type { Output, Written } from '../../../src/cli/output/output-file.js';
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
