// Rows from a synchronous driver (SQLite) encoded into batches, in the main thread or a worker.
import { BatchBuilder, type EncodedBatch } from './batches.js';
import type { RowEncoder } from './rows.js';

/** The batches of `rows`; `counted(n)` after each batch with its record count. */
export function* encodeRows(rows: Iterator<unknown[]>, encoder: RowEncoder, counted: (n: number) => void = () => {}): Generator<EncodedBatch> {
  const builder = new BatchBuilder();
  for (let next = rows.next(); next.done !== true; next = rows.next()) {
    const full = builder.add(encoder.encode(next.value));
    if (full !== null) {
      counted(full.ends.length);
      yield full;
    }
  }
  const last = builder.take();
  if (last !== null) {
    counted(last.ends.length);
    yield last;
  }
}
