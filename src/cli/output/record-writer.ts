// Records, batch by batch, into documents: `[`, the records with the layout's separators, `]`
// (JSON Lines: each record and a newline; a `single` source's value bare), cut into parts
// only between records.
import { unlessAborted } from '../abort.js';
import type { RecordBatch, Source } from '../records.js';
import { SourceError } from '../errors.js';
import { counted } from '../progress.js';
import type { Output } from './output-file.js';
import type { RecordFrame } from '../record-frame.js';
import type { Target } from './targets.js';

export interface WriterOptions {
  /** Records per part, or null. */
  splitRows: number | null;
  /** Bytes of JSON per part (at least one record each), or null. */
  splitBytes: number | null;
  /** Fail once the output passes this many bytes. */
  maxBytes: number | null;
  /** Before the last document is completed: throws if the records written must not be kept. */
  check: (rows: number) => void;
  /** A newline after the document (stdout). */
  finalNewline: boolean;
  onProgress: (rows: number, bytes: number) => void;
}

// Bytes gathered before a write: few, large writes (a write per record costs more than the record)
const WRITE_BYTES = 64 * 1024;

export class RecordWriter {
  /** Records written, and JSON bytes (before compression). */
  rows = 0;
  bytes = 0;
  private single = false;
  private output: Output | null = null;
  private partRows = 0;
  private partBytes = 0;
  /** A record begun whose end a later batch brings. */
  private open = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private signal: AbortSignal = new AbortController().signal;
  /** The frame's separator as bytes, made once. */
  private readonly separator: Buffer;

  constructor(
    private readonly frame: RecordFrame,
    private readonly target: Target,
    private readonly options: WriterOptions,
  ) {
    this.separator = Buffer.from(frame.separator);
  }

  /** Writes every batch of `source`, then completes the document(s). */
  async write(batches: AsyncIterable<RecordBatch>, source: Source, signal: AbortSignal): Promise<void> {
    this.signal = signal;
    let first = true;
    for await (const batch of batches) {
      signal.throwIfAborted();
      if (first) this.single = source.single;
      first = false;
      if (batch.kind === 'values') await this.values(batch.values);
      else if (batch.separated === true) await this.separated(batch.bytes, batch.ends);
      else await this.encoded(batch.bytes, batch.ends);
      this.options.onProgress(this.rows, this.bytes);
    }
    signal.throwIfAborted();
    if (this.open) throw new SourceError(`${source.name}: the last record has no end`);
    this.options.check(this.rows);
    if (this.output === null) await this.begin(this.single ? '' : this.frame.empty);
    await this.end();
    await this.target.commit();
  }

  private get close(): string {
    if (this.single) return this.frame.lines ? '\n' : '';
    return this.partRows === 0 ? '' : this.frame.close;
  }

  /** Opens the next document, starting with `text`. */
  private async begin(text: string): Promise<void> {
    this.output = await this.target.next();
    this.partRows = 0;
    this.partBytes = 0;
    this.add(Buffer.from(text));
  }

  /** Completes the current document. */
  private async end(): Promise<void> {
    const output = this.output as Output;
    this.add(Buffer.from(this.close + (this.options.finalNewline && !this.frame.lines ? '\n' : '')));
    await this.flush();
    this.output = null;
    await this.target.done(output, this.partRows);
  }

  /** Whether a record of `size` bytes starts a new part. */
  private cut(size: number): boolean {
    if (this.output === null || this.partRows === 0 || this.single) return false;
    const { splitRows, splitBytes } = this.options;
    if (splitRows !== null && this.partRows >= splitRows) return true;
    return splitBytes !== null && this.partBytes + this.frame.separator.length + size + this.frame.close.length > splitBytes;
  }

  /** The text before a record (`records` of them, when a whole run is written at once) of `size` bytes. */
  private async before(size: number): Promise<void> {
    if (this.cut(size)) await this.end();
    if (this.output === null) await this.begin(this.single ? '' : this.frame.open);
    else if (this.partRows > 0) this.add(this.separator);
  }

  /** How many of `left` records fit in the current part, by rows. */
  private room(left: number): number {
    const { splitRows } = this.options;
    if (splitRows === null || this.single) return left;
    const used = this.output === null || this.partRows >= splitRows ? 0 : this.partRows;
    return Math.min(left, splitRows - used);
  }

  private async values(values: unknown[]): Promise<void> {
    if (this.single) {
      await this.record(Buffer.from(this.frame.document(values[0])));
      return;
    }
    if (this.options.splitBytes !== null) {
      for (const value of values) await this.record(Buffer.from(this.frame.record(value, this.rows)));
      return;
    }
    for (let i = 0; i < values.length; ) {
      const n = this.room(values.length - i);
      const text = Buffer.from(this.frame.records(values.slice(i, i + n), this.rows));
      await this.before(text.length);
      this.add(text);
      this.counted(n);
      i += n;
      await this.flushIfFull();
    }
  }

  private async encoded(bytes: Uint8Array, ends: ArrayLike<number>): Promise<void> {
    const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const piece = all.subarray(start, ends[i]);
      if (this.open) {
        this.add(piece);
        this.counted(1);
        this.open = false;
        await this.flushIfFull();
      } else if (this.output !== null && !this.cut(piece.length)) {
        // the common case without a promise per record: the record joins the current part
        if (this.partRows > 0) this.add(this.separator);
        this.add(piece);
        this.counted(1);
        if (this.pendingBytes >= WRITE_BYTES) await this.flush();
      } else {
        await this.record(piece);
      }
      start = ends[i];
    }
    if (start < all.length) {
      if (!this.open) await this.before(all.length - start);
      this.open = true;
      this.add(all.subarray(start));
      await this.flushIfFull();
    }
  }

  /** Records each preceded by the separator: written as they are unless parts are cut among them. */
  private async separated(bytes: Uint8Array, ends: ArrayLike<number>): Promise<void> {
    if (ends.length === 0) return;
    if (this.open) throw new Error('a batch of separated records cannot continue an unfinished record');
    const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const skip = this.separator.length;
    const { splitRows, splitBytes } = this.options;
    if (splitRows === null && splitBytes === null && !this.single) {
      if (this.output === null) await this.begin(this.frame.open);
      this.add(this.partRows === 0 ? all.subarray(skip) : all);
      this.counted(ends.length);
      await this.flushIfFull();
      return;
    }
    let start = skip;
    for (let i = 0; i < ends.length; i++) {
      await this.record(all.subarray(start, ends[i]));
      start = ends[i] + skip;
    }
  }

  private async record(text: Buffer): Promise<void> {
    await this.before(text.length);
    this.add(text);
    this.counted(1);
    await this.flushIfFull();
  }

  private counted(records: number): void {
    this.rows += records;
    this.partRows += records;
  }

  private add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    this.partBytes += chunk.length;
    const { maxBytes } = this.options;
    if (maxBytes !== null && this.bytes > maxBytes) throw new SourceError(`the output passes --max-bytes (${counted(maxBytes, 'byte')})`);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  private async flushIfFull(): Promise<void> {
    if (this.pendingBytes >= WRITE_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    // Small pieces are joined into one write; a whole batch goes as it is, not copied
    let small: Buffer[] = [];
    let smallBytes = 0;
    for (const chunk of pending) {
      if (chunk.length < WRITE_BYTES) {
        small.push(chunk);
        smallBytes += chunk.length;
        continue;
      }
      if (small.length > 0) await this.send(small.length === 1 ? small[0] : Buffer.concat(small, smallBytes));
      small = [];
      smallBytes = 0;
      await this.send(chunk);
    }
    if (small.length > 0) await this.send(small.length === 1 ? small[0] : Buffer.concat(small, smallBytes));
  }

  private async send(chunk: Buffer): Promise<void> {
    // A destination that takes no more (a full pipe) does not hold up an abort
    await unlessAborted((this.output as Output).write(chunk), this.signal);
  }
}
