// Strings the walk writes a part at a time, each with a frame of its own: a long string in
// slices (its escaped text would otherwise take memory in proportion), and the text of a byte
// or text stream — a Node Readable, a Web ReadableStream, a Blob — as its chunks come. Also
// where frames close, strings and containers alike, and where a stopped walk closes the
// iterators and streams it holds open.

import type { Dialect } from '../encode/dialect.js';
import type { Writer } from '../encode/writer.js';
import { Frame, Kind } from './frame.js';
import { isReadable } from './kinds.js';
import type { PlainRuns } from './plain-runs.js';
import { FrameStack, type StackOptions } from './stack.js';
import { byteDecoder, InvalidUTF8 } from './utf8.js';
import { isBytes, WebChunks } from './web-chunks.js';

/** The slice of a long string written per step. */
const SLICE = 1 << 14;
/** The holder of frames that hold no container (a string's slices). */
const NO_HOLDER = Object.freeze({});

/** Ends the iterator or stream of `f`; a promise while an async iterator is still closing. */
function closeIterator(f: Frame): Promise<unknown> | undefined {
  // A stream's iterator cannot return() while its next() waits for data: destroy it instead.
  if (isReadable(f.holder)) {
    f.holder.destroy();
    return undefined;
  }
  const iter = f.iter;
  if (iter === null || typeof iter.return !== 'function') return undefined;
  try {
    const r = iter.return();
    // The walk is already failing with the error that matters: a failure to close is dropped.
    return r instanceof Promise ? r.catch(() => {}) : undefined;
  } catch {
    return undefined;
  }
}

/** A short name of a value's type for messages. */
export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v.constructor as { name?: string } | undefined)?.name ?? 'object';
}

export class StringFrames extends FrameStack {
  /** Bytes of a stream that are not UTF-8: an error, or U+FFFD (the invalidUTF8 option). */
  private readonly invalidUTF8: 'error' | 'replace';

  constructor(w: Writer, dialect: Dialect, plain: PlainRuns | null, value: unknown, o: StackOptions & { invalidUTF8: 'error' | 'replace' }) {
    super(w, dialect, plain, value, o);
    this.invalidUTF8 = o.invalidUTF8;
  }

  /** A long string: one JSON string, written a slice per step. */
  protected openSlices(v: string): void {
    // Taken whole at the end (dumps), a text too long for one string fails here, before escaping.
    this.w.checkRoom(v, this.pathOf(this.frame.key));
    this.w.openString();
    const frame = this.push(new Frame(Kind.Slices, NO_HOLDER));
    frame.text = v;
    frame.len = v.length;
  }

  /** The next slice of the long string of `f`. */
  protected writeSlice(f: Frame): void {
    const end = Math.min(f.i + SLICE, f.len);
    this.w.stringPart(f.text.slice(f.i, end));
    f.i = end;
    if (end === f.len) this.closeFrame(f);
  }

  /** A byte or text stream (`v`, read through `iter`): one JSON string, written as its chunks come. */
  protected openText(v: object, iter: AsyncIterator<unknown>, key: string | number, f: Frame): Frame {
    this.startMember(f, key);
    this.w.openString();
    const frame = this.push(new Frame(Kind.Text, v));
    frame.iter = iter;
    frame.decoder = byteDecoder(this.invalidUTF8);
    return frame;
  }

  /** One chunk of a byte or text stream (a string, or bytes decoded as UTF-8). */
  protected writeTextPart(f: Frame, chunk: unknown): void {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else if (f.iter instanceof WebChunks && !isBytes(chunk)) this.fail('ERR_UNSERIALIZABLE', `a ReadableStream of text gave a chunk that is not a string or bytes (${typeOf(chunk)})`);
    else text = this.decode(f, chunk as Uint8Array);
    if (!this.w.stringPart(text)) this.failLoneSurrogate();
  }

  /**
   * The first chunk of a Web ReadableStream decides what it is written as: bytes or a string
   * make a JSON string (as a Node byte Readable), anything else an array (as an object-mode
   * Readable); a stream that ends without a chunk is "", as Node's and the platform's readers
   * (Readable.fromWeb, Response, stream/consumers) take an untyped stream to be bytes.
   * Replaces the WebStream frame `f` with the frame of that string or array.
   */
  protected openWebStream(f: Frame, r: IteratorResult<unknown>): Frame {
    this.stack.pop();
    const parent = (this.frame = this.stack[this.stack.length - 1]);
    const iter = f.iter as WebChunks;
    try {
      const text = r.done || typeof r.value === 'string' || isBytes(r.value);
      if (text) return this.openText(f.holder, iter, parent.key, parent);
      const frame = this.open(Kind.AsyncIter, f.holder, parent.key, parent);
      frame.iter = iter;
      return frame;
    } catch (err) {
      // Off the stack, the stream would not be cancelled by abort().
      iter.return().catch(() => {});
      throw err;
    }
  }

  protected closeFrame(f: Frame): void {
    if (f.kind === Kind.Text) {
      if (!this.w.stringPart(this.decode(f, null)) || !this.w.closeString()) this.failLoneSurrogate();
    } else if (f.kind === Kind.Slices) {
      if (!this.w.closeString()) this.failLoneSurrogate();
    } else {
      this.w.close();
    }
    this.pop(f);
  }

  /**
   * Ends every open iterator, innermost first as nested loops would, so generators run their
   * finally blocks (an outer one after an inner async one has finished); the stack is emptied.
   */
  protected closeAll(): void {
    let closing: Promise<unknown> | undefined;
    for (let d = this.stack.length - 1; d > 0; d--) {
      const f = this.stack[d];
      closing = closing === undefined ? closeIterator(f) : closing.then(() => closeIterator(f));
    }
    this.stack.length = 0;
  }

  /** The text of the next chunk of bytes of the stream of `f` (null: the end of the stream). */
  private decode(f: Frame, bytes: Uint8Array | null): string {
    try {
      return bytes === null ? f.decoder!.end() : f.decoder!.write(bytes as Buffer);
    } catch (err) {
      if (err instanceof InvalidUTF8) this.fail('ERR_INVALID_UTF8', `the byte stream is not valid UTF-8 (byte ${err.offset})`);
      throw err;
    }
  }
}
