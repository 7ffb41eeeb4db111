// Records written straight into batch buffers as UTF-8, value by value, each record after the
// output's separator (see RecordBatch: separated batches). A record may be larger than a batch:
// a database value of 100 MB is written as it is read, and once a record outgrows
// LARGE_RECORD its bytes are handed out as they come (batches that begin a record the next one
// continues), so memory holds a batch or two, not the record.
import { BATCH_BYTES, type EncodedBatch } from './batches.js';

/** A record past this size is handed out in parts instead of held whole in one batch buffer. */
const LARGE_RECORD = 4 * BATCH_BYTES;
/** A batch is handed out after a record once fewer bytes than this are left in its buffer. */
const NEARLY_FULL = 4096;

export class RecordBytes {
  /** The buffer being written: write at `pos` after `ensure`. */
  buf: Buffer;
  pos = 0;
  /** Where the current record's separator starts. */
  private recordStart = 0;
  private ends: number[] = [];
  /** The current record's first bytes were handed out already (it continues in this buffer). */
  private open = false;

  constructor(
    private readonly separator: Uint8Array,
    /** Takes each batch completed on the way. */
    private readonly emit: (batch: EncodedBatch) => void,
    private readonly size = BATCH_BYTES,
  ) {
    this.buf = Buffer.allocUnsafeSlow(size);
  }

  /** Starts a record: its separator. */
  beginRecord(): void {
    this.recordStart = this.pos;
    const separator = this.separator;
    this.ensure(separator.length);
    for (let k = 0; k < separator.length; k++) this.buf[this.pos++] = separator[k];
  }

  /** Makes room for `n` more bytes at `pos`. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.makeRoom(n);
  }

  /** Writes `bytes` (small: the pieces between values). */
  bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = 0; k < bytes.length; k++) buf[pos++] = bytes[k];
    this.pos = pos;
  }

  /** Ends the current record; a batch nearly full is handed out. */
  endRecord(): void {
    if (this.open) {
      this.open = false;
      this.emit({ kind: 'encoded', bytes: this.buf.subarray(0, this.pos), ends: [this.pos] });
      this.fresh(this.size);
      return;
    }
    this.ends.push(this.pos);
    this.recordStart = this.pos;
    if (this.buf.length - this.pos < NEARLY_FULL) {
      const batch = this.take();
      if (batch !== null) this.emit(batch);
    }
  }

  /** The complete records written so far, as a separated batch (null if none); a new buffer is started. */
  take(): EncodedBatch | null {
    if (this.ends.length === 0) return null;
    const batch: EncodedBatch = { kind: 'encoded', bytes: this.buf.subarray(0, this.recordStart), ends: this.ends, separated: true };
    const record = this.buf.subarray(this.recordStart, this.pos);
    this.fresh(Math.max(this.size, record.length));
    this.buf.set(record);
    this.pos = record.length;
    return batch;
  }

  private fresh(size: number): void {
    this.buf = Buffer.allocUnsafeSlow(size);
    this.pos = 0;
    this.recordStart = 0;
    this.ends = [];
  }

  private makeRoom(n: number): void {
    if (this.open) {
      // the record's next part: the bytes so far go out, the writer joins them
      this.emit({ kind: 'encoded', bytes: this.buf.subarray(0, this.pos), ends: [] });
      this.fresh(Math.max(this.size, n));
      return;
    }
    const done = this.ends.length > 0 ? this.take() : null;
    if (done !== null) this.emit(done);
    const length = this.pos - this.recordStart;
    if (length + n <= LARGE_RECORD) {
      if (length + n > this.buf.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buf.length, length + n));
        grown.set(this.buf.subarray(this.recordStart, this.pos));
        this.buf = grown;
        this.pos = length;
        this.recordStart = 0;
      }
      return;
    }
    // A large record: what it has so far goes out without its separator (the writer puts one
    // before a record that does not come in a separated batch), the rest follows part by part.
    this.open = true;
    this.emit({ kind: 'encoded', bytes: this.buf.subarray(this.recordStart + this.separator.length, this.pos), ends: [] });
    this.fresh(Math.max(this.size, n));
  }
}
