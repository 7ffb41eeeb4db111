// Records, batch by batch, into documents: `[`, the records with the layout's separators, `]`
// (JSON Lines: each record and a newline; a `single` source's value bare), cut into parts
// only between records.
import { pump } from '../../drive/pump.js';
import type { RecordBatch, Source } from '../records.js';
import { SourceError } from '../errors.js';
import { counted } from '../progress.js';
import { PartChunks, partSink, type Step, type StepQueue } from './part-chunks.js';
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

export class RecordWriter implements StepQueue {
  /** Records written, and JSON bytes (before compression). */
  rows = 0;
  bytes = 0;
  private single = false;
  /** A document begun and not yet completed. */
  private inPart = false;
  private partRows = 0;
  private partBytes = 0;
  /** A record begun whose end a later batch brings. */
  private open = false;
  /** Bytes framed, not yet a chunk to write. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Chunks and part ends ready for the pump. */
  private readonly steps: Step[] = [];
  private batches: AsyncIterator<RecordBatch> | null = null;
  private source: Source | null = null;
  private first = true;
  private signal: AbortSignal = new AbortController().signal;
  /** The batches are all read and the last document completed. */
  private ended = false;
  /** The frame's separator as bytes, made once. */
  private readonly separator: Buffer;

  constructor(
    private readonly frame: RecordFrame,
    private readonly target: Target,
    private readonly options: WriterOptions,
  ) {
    this.separator = Buffer.from(frame.separator);
  }

  /**
   * Writes every batch of `source`, then completes the document(s): each part is the library's
   * pump from its chunks (see part-chunks.ts) into its output.
   */
  async write(batches: AsyncIterable<RecordBatch>, source: Source, signal: AbortSignal): Promise<void> {
    this.batches = batches[Symbol.asyncIterator]();
    this.source = source;
    this.signal = signal;
    try {
      while ((await this.peek()) !== null) {
        const part = new PartChunks(this, signal);
        await pump(part, async () => partSink(this.target, await this.target.next(), part), null);
      }
    } finally {
      // Stopped early (a failure): the source's iteration ends, as a for await loop would end it
      if (!this.ended) await this.batches.return?.();
    }
    await this.target.commit();
  }

  /** The next step, reading more batches when none is queued; null once everything is out. */
  async nextStep(): Promise<Step | null> {
    const step = await this.peek();
    if (step !== null) this.steps.shift();
    return step;
  }

  private async peek(): Promise<Step | null> {
    while (this.steps.length === 0 && !this.ended) await this.read();
    return this.steps[0] ?? null;
  }

  /** Frames the next batch, or completes the last document when there is none. */
  private async read(): Promise<void> {
    const source = this.source as Source;
    const next = await (this.batches as AsyncIterator<RecordBatch>).next();
    this.signal.throwIfAborted();
    if (next.done !== true) {
      if (this.first) this.single = source.single;
      this.first = false;
      const batch = next.value;
      if (batch.separated === true) this.separated(batch.bytes, batch.ends);
      else this.encoded(batch.bytes, batch.ends);
      this.options.onProgress(this.rows, this.bytes);
      return;
    }
    this.ended = true;
    if (this.open) throw new SourceError(`${source.name}: the last record has no end`);
    this.options.check(this.rows);
    if (!this.inPart) this.begin(this.single ? '' : this.frame.empty);
    this.end();
  }

  private get close(): string {
    if (this.single) return this.frame.lines ? '\n' : '';
    return this.partRows === 0 ? '' : this.frame.close;
  }

  /** Opens the next document, starting with `text`. */
  private begin(text: string): void {
    this.inPart = true;
    this.partRows = 0;
    this.partBytes = 0;
    this.add(Buffer.from(text));
  }

  /** Completes the current document. */
  private end(): void {
    this.add(Buffer.from(this.close + (this.options.finalNewline && !this.frame.lines ? '\n' : '')));
    this.flush();
    this.inPart = false;
    this.steps.push({ partRows: this.partRows });
  }

  /** Whether a record of `size` bytes starts a new part. */
  private cut(size: number): boolean {
    if (!this.inPart || this.partRows === 0 || this.single) return false;
    const { splitRows, splitBytes } = this.options;
    if (splitRows !== null && this.partRows >= splitRows) return true;
    return splitBytes !== null && this.partBytes + this.frame.separator.length + size + this.frame.close.length > splitBytes;
  }

  /** The text before a record of `size` bytes. */
  private before(size: number): void {
    if (this.cut(size)) this.end();
    if (!this.inPart) this.begin(this.single ? '' : this.frame.open);
    else if (this.partRows > 0) this.add(this.separator);
  }

  private encoded(bytes: Uint8Array, ends: ArrayLike<number>): void {
    const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const piece = all.subarray(start, ends[i]);
      if (this.open) {
        this.add(piece);
        this.counted(1);
        this.open = false;
        this.flushIfFull();
      } else if (this.inPart && !this.cut(piece.length)) {
        // the common case, no part to cut: the record joins the current part
        if (this.partRows > 0) this.add(this.separator);
        this.add(piece);
        this.counted(1);
        if (this.pendingBytes >= WRITE_BYTES) this.flush();
      } else {
        this.record(piece);
      }
      start = ends[i];
    }
    if (start < all.length) {
      if (!this.open) this.before(all.length - start);
      this.open = true;
      this.add(all.subarray(start));
      this.flushIfFull();
    }
  }

  /** Records each preceded by the separator: written as they are unless parts are cut among them. */
  private separated(bytes: Uint8Array, ends: ArrayLike<number>): void {
    if (ends.length === 0) return;
    if (this.open) throw new Error('a batch of separated records cannot continue an unfinished record');
    const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const skip = this.separator.length;
    const { splitRows, splitBytes } = this.options;
    if (splitRows === null && splitBytes === null && !this.single) {
      if (!this.inPart) this.begin(this.frame.open);
      this.add(this.partRows === 0 ? all.subarray(skip) : all);
      this.counted(ends.length);
      this.flushIfFull();
      return;
    }
    let start = skip;
    for (let i = 0; i < ends.length; i++) {
      this.record(all.subarray(start, ends[i]));
      start = ends[i] + skip;
    }
  }

  private record(text: Buffer): void {
    this.before(text.length);
    this.add(text);
    this.counted(1);
    this.flushIfFull();
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

  private flushIfFull(): void {
    if (this.pendingBytes >= WRITE_BYTES) this.flush();
  }

  /** The pending bytes as chunks to write: small pieces joined into one, a whole batch as it is (not copied). */
  private flush(): void {
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let small: Buffer[] = [];
    let smallBytes = 0;
    const joinSmall = () => {
      if (small.length > 0) this.steps.push(small.length === 1 ? small[0] : Buffer.concat(small, smallBytes));
      small = [];
      smallBytes = 0;
    };
    for (const chunk of pending) {
      if (chunk.length < WRITE_BYTES) {
        small.push(chunk);
        smallBytes += chunk.length;
        continue;
      }
      joinSmall();
      this.steps.push(chunk);
    }
    joinSmall();
  }
}
