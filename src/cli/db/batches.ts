// Record texts gathered into encoded batches: UTF-8 bytes back to back and where each ends.
import type { RecordBatch } from '../sources/source.js';

// Bytes per batch: large enough that per-batch costs (a write, a message from a worker) vanish,
// small enough to keep a few batches in flight within the memory budget.
export const BATCH_BYTES = 256 * 1024;

export type EncodedBatch = Extract<RecordBatch, { kind: 'encoded' }>;

/** Collects record texts; hands out a batch whenever the next record would not fit. */
export class BatchBuilder {
  private bytes: Buffer;
  private offset = 0;
  private ends: number[] = [];

  constructor(private readonly size = BATCH_BYTES) {
    this.bytes = Buffer.allocUnsafe(size);
  }

  get records(): number {
    return this.ends.length;
  }

  /** Adds one record; returns the batch completed before it, if it did not fit. */
  add(text: string): EncodedBatch | null {
    // 3 bytes per UTF-16 unit is the most UTF-8 can take (a surrogate pair: 4 bytes for 2 units)
    let full: EncodedBatch | null = null;
    if (this.offset + text.length * 3 > this.bytes.length) {
      full = this.take();
      if (text.length * 3 > this.bytes.length) this.bytes = Buffer.allocUnsafe(text.length * 3);
    }
    this.offset += this.bytes.write(text, this.offset);
    this.ends.push(this.offset);
    return full;
  }

  /** Adds one record already encoded as UTF-8 (source[start, end)); returns the batch completed before it, if it did not fit. */
  addBytes(source: Buffer, start: number, end: number): EncodedBatch | null {
    const length = end - start;
    let full: EncodedBatch | null = null;
    if (this.offset + length > this.bytes.length) {
      full = this.take();
      if (length > this.bytes.length) this.bytes = Buffer.allocUnsafe(length);
    }
    source.copy(this.bytes, this.offset, start, end);
    this.offset += length;
    this.ends.push(this.offset);
    return full;
  }

  /** The records gathered so far (null if none); the builder starts a new buffer. */
  take(): EncodedBatch | null {
    if (this.ends.length === 0) return null;
    const batch: EncodedBatch = { kind: 'encoded', bytes: this.bytes.subarray(0, this.offset), ends: this.ends };
    this.bytes = Buffer.allocUnsafe(this.size);
    this.offset = 0;
    this.ends = [];
    return batch;
  }
}
