// --arrays: the first record a database source yields is the header, the column names. It is
// not a row: taken off the records here, it opens every document of the output (each part of a
// split export, so that each file reads alone), and no row count includes it.
import type { RecordBatch } from '../records.js';
import type { RecordFrame } from '../record-frame.js';

export interface Headed {
  /** The header record laid out in its place, or null when the source yielded no record. */
  header: string | null;
  /** The records after the header. */
  rest: AsyncIterable<RecordBatch>;
}

/** `first`, then the rest of `iterator`; returning early returns the iterator. */
async function* thenRest(first: RecordBatch | null, iterator: AsyncIterator<RecordBatch>): AsyncGenerator<RecordBatch> {
  try {
    if (first !== null) yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/** The first record of `batches` (its text in place, as the source laid it out), and the batches after it. */
export async function takeHeader(batches: AsyncIterable<RecordBatch>): Promise<Headed> {
  const iterator = batches[Symbol.asyncIterator]();
  const pieces: Buffer[] = [];
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) {
        await iterator.return?.();
        return { header: null, rest: thenRest(null, iterator) };
      }
      const batch = next.value;
      const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
      if (batch.ends.length === 0) {
        pieces.push(bytes); // a header larger than a batch
        continue;
      }
      const end = batch.ends[0];
      pieces.push(bytes.subarray(0, end));
      const ends = Array.from(batch.ends).slice(1).map((e) => e - end);
      const after = end < bytes.length ? { kind: 'encoded' as const, bytes: bytes.subarray(end), ends } : null;
      return { header: Buffer.concat(pieces).toString('utf8'), rest: thenRest(after, iterator) };
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
}

/** The frame of an output whose every document begins with `header`; a document without rows holds the header alone. */
export function withHeader(frame: RecordFrame, header: string): RecordFrame {
  return {
    ...frame,
    open: frame.open + header + frame.separator,
    empty: frame.lines ? header + '\n' : frame.open + header + frame.close,
  };
}
