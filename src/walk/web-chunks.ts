// Web platform values inside the value: a WHATWG ReadableStream and a Blob. They are recognised
// by their internal slots (a built-in getter called on them throws for anything else), so no
// user code runs to tell what they are, and they are read through the built-in methods, not
// through whatever a subclass or an own property puts in their place.

import { Blob } from 'node:buffer';
import { ReadableStream, type ReadableStreamDefaultReader } from 'node:stream/web';

type Getter = (this: unknown) => unknown;

const getterOf = (proto: object, name: string): Getter => Object.getOwnPropertyDescriptor(proto, name)!.get as Getter;
const streamLocked = getterOf(ReadableStream.prototype, 'locked');
const blobSize = getterOf(Blob.prototype, 'size');
const getReader = ReadableStream.prototype.getReader as (this: ReadableStream) => ReadableStreamDefaultReader<unknown>;
const blobStream = Blob.prototype.stream as (this: Blob) => ReadableStream<Uint8Array>;

/** Calls `getter` on `v`; false when it throws (`v` lacks the internal slots it reads). */
function hasSlots(getter: Getter, v: object): boolean {
  try {
    getter.call(v);
    return true;
  } catch {
    return false;
  }
}

/** The async iterator of every ReadableStream: on anything else it throws. */
export const WEB_STREAM_ITERATOR = (ReadableStream.prototype as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator];

/** A WHATWG ReadableStream (not an object that only inherits its prototype). */
export function isWebReadable(v: object): v is ReadableStream<unknown> {
  return v instanceof ReadableStream && hasSlots(streamLocked, v);
}

/** A Blob or File. */
export function isBlob(v: object): v is Blob {
  return v instanceof Blob && hasSlots(blobSize, v);
}

export function isLocked(s: ReadableStream<unknown>): boolean {
  return streamLocked.call(s) as boolean;
}

const cancelStream = ReadableStream.prototype.cancel as (this: ReadableStream<unknown>, reason?: unknown) => Promise<void>;

/** Cancels a stream no reader holds (a locked one is someone else's to cancel); a failure to cancel is dropped. */
export function cancelUnlocked(s: ReadableStream<unknown>): void {
  if (!isLocked(s)) cancelStream.call(s).catch(() => {});
}

/** Bytes, as a byte stream yields them: the chunks a Web stream of text is made of (with strings). */
export function isBytes(chunk: unknown): chunk is Uint8Array {
  return chunk instanceof Uint8Array;
}

/**
 * A ReadableStream read through a reader of its own, as an async iterator. The lock is released
 * when the stream ends; return() (the walk failed or stopped) cancels the stream and releases it.
 */
export class WebChunks implements AsyncIterator<unknown> {
  private reader: ReadableStreamDefaultReader<unknown> | null;

  constructor(stream: ReadableStream<unknown>) {
    this.reader = getReader.call(stream);
  }

  static ofBlob(blob: Blob): WebChunks {
    return new WebChunks(blobStream.call(blob) as ReadableStream<unknown>);
  }

  async next(): Promise<IteratorResult<unknown>> {
    const r = await this.reader!.read();
    if (r.done) this.release();
    return r as IteratorResult<unknown>;
  }

  async return(): Promise<IteratorResult<unknown>> {
    const reader = this.reader;
    this.reader = null;
    if (reader !== null) {
      // Cancelling closes the stream at once: the lock can be released before the source's
      // cancel() settles, so the stream is free as soon as the walk lets go of it.
      const cancelled = reader.cancel();
      reader.releaseLock();
      await cancelled;
    }
    return { done: true, value: undefined };
  }

  private release(): void {
    this.reader?.releaseLock();
    this.reader = null;
  }
}
