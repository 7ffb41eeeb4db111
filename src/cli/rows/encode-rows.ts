// Rows from a synchronous driver (SQLite) encoded into separated batches, in the main thread or
// a worker: read in groups, so that the doubles of a group take one JSON.stringify call (see
// row-bytes.ts).
import { SourceError } from '../errors.js';
import type { RowBytes, SeparatedBatch } from './row-bytes.js';
import { reportedValueError, ValueError } from './value-errors.js';

/** Rows per group: enough to make a JSON.stringify call per group cheap, few enough to stay young in the heap. */
const GROUP_ROWS = 256;

/**
 * The batches of `rows`, the last one ending with the last row. `rows` is ended however this
 * ends: a driver's statement left mid-iteration stays busy, and a worker runs it again for its
 * next key range.
 */
export function* encodeRows(rows: Iterator<unknown[]>, encoder: RowBytes): Generator<SeparatedBatch> {
  const group = new Array<unknown[]>(GROUP_ROWS);
  const full: SeparatedBatch[] = [];
  const emit = (batch: SeparatedBatch) => full.push(batch);
  try {
    for (;;) {
      let count = 0;
      for (let next = rows.next(); next.done !== true; next = rows.next()) {
        group[count++] = next.value;
        if (count === GROUP_ROWS) break;
      }
      if (count > 0) encoder.add(group, count, emit);
      while (full.length > 0) yield full.shift() as SeparatedBatch;
      if (count < GROUP_ROWS) break;
    }
  } finally {
    rows.return?.();
  }
  group.fill(undefined as never);
  const last = encoder.take();
  if (last !== null) yield last;
}

/**
 * A failure of SQLite itself (better-sqlite3's SQLITE_* codes, node:sqlite's ERR_SQLITE_ERROR) as
 * an SQL error, a value the output cannot hold as the line that names it; others as they are.
 */
export function sqliteFailure(error: unknown): Error {
  if (error instanceof ValueError) return reportedValueError(error) as Error;
  const { message, code } = error as { message: string; code?: unknown };
  if (typeof code === 'string' && (code.startsWith('SQLITE_') || code === 'ERR_SQLITE_ERROR')) return new SourceError(`SQL error: ${message}`);
  return error as Error;
}
