// Record texts gathered into encoded batches: UTF-8 bytes back to back and where each ends.
import { recordFrame } from '../record-frame.js';
import type { RecordBatch, RecordLayout } from '../records.js';

// Bytes per batch: large enough that per-batch costs (a write, a message from a worker) vanish,
// small enough to keep a few batches in flight within the memory budget.
export const BATCH_BYTES = 256 * 1024;

export type EncodedBatch = Extract<RecordBatch, { kind: 'encoded' }>;

/**
 * Collects record texts; hands out a batch whenever the next record would not fit. Given the
 * output's separator, each record follows it and the batches are separated (see RecordBatch):
 * the writer then writes a batch as one piece instead of record by record.
 */
export class BatchBuilder {
  private bytes: Buffer;
  private offset = 0;
  private ends: number[] = [];
  private readonly separator: Buffer;
  private readonly separated: boolean;

  constructor(
    private readonly size = BATCH_BYTES,
    separator: string | null = null,
  ) {
    this.bytes = Buffer.allocUnsafe(size);
    this.separator = Buffer.from(separator ?? '');
    this.separated = separator !== null;
  }

  get records(): number {
    return this.ends.length;
  }

  /** Adds one record; returns the batch completed before it, if it did not fit. */
  add(text: string): EncodedBatch | null {
    // 3 bytes per UTF-16 unit is the most UTF-8 can take (a surrogate pair: 4 bytes for 2 units)
    const most = this.separator.length + text.length * 3;
    const full = this.room(most);
    this.offset += this.separator.copy(this.bytes, this.offset);
    this.offset += this.bytes.write(text, this.offset);
    this.ends.push(this.offset);
    return full;
  }

  /** Adds one record already encoded as UTF-8 (source[start, end)); returns the batch completed before it, if it did not fit. */
  addBytes(source: Buffer, start: number, end: number): EncodedBatch | null {
    const full = this.room(this.separator.length + end - start);
    const bytes = this.bytes;
    const separator = this.separator;
    let offset = this.offset;
    for (let i = 0; i < separator.length; i++) bytes[offset++] = separator[i];
    // TypedArray#set on a view costs less than Buffer#copy's checks and call (PostgreSQL rows:
    // 0.24 s of CPU per 1M rows with Buffer#copy, seen with `node --cpu-prof` on
    // `node bench/export/run.js --jobs postgres`).
    bytes.set(source.subarray(start, end), offset);
    offset += end - start;
    this.offset = offset;
    this.ends.push(offset);
    return full;
  }

  /** The records gathered so far (null if none); the builder starts a new buffer. */
  take(): EncodedBatch | null {
    if (this.ends.length === 0) return null;
    const bytes = this.bytes.subarray(0, this.offset);
    const batch: EncodedBatch = this.separated ? { kind: 'encoded', bytes, ends: this.ends, separated: true } : { kind: 'encoded', bytes, ends: this.ends };
    this.bytes = Buffer.allocUnsafe(this.size);
    this.offset = 0;
    this.ends = [];
    return batch;
  }

  /** Makes room for `length` more bytes: the batch so far, if they do not fit. */
  private room(length: number): EncodedBatch | null {
    if (this.offset + length <= this.bytes.length) return null;
    const full = this.take();
    if (length > this.bytes.length) this.bytes = Buffer.allocUnsafe(length);
    return full;
  }
}

/** A builder of separated batches of records laid out as `layout` asks. */
export function separatedBatches(layout: RecordLayout, size = BATCH_BYTES): BatchBuilder {
  return new BatchBuilder(size, recordFrame(layout.options, layout.lines).separator);
}

/** The --arrays header (the column names) as a batch of its own: the output takes it off before the rows. */
export function headerBatch(text: string): EncodedBatch {
  const bytes = Buffer.from(text);
  return { kind: 'encoded', bytes, ends: [bytes.length] };
}
