import { StringDecoder } from 'node:string_decoder';
import { openSink, type Destination } from '../api/destination.js';
import { FileSink } from '../sink/file.js';
import type { Sink } from '../sink/sink.js';

/** A destination that takes bytes: `write` returns a promise when the caller must wait. */
export interface ByteSink {
  sink: Sink;
  write(bytes: Buffer): Promise<void> | void;
}

/**
 * Opens `dest` as `dump` does (atomic paths, fds, FileHandles, Writables with backpressure).
 * Files take the bytes as they are; a Writable sink takes text, so bytes are decoded for it
 * (a character split between two chunks is held by the decoder).
 */
export async function openByteSink(dest: Destination, o: { end: boolean; atomic: boolean }): Promise<ByteSink> {
  const sink = await openSink(dest, o);
  if (sink instanceof FileSink) return { sink, write: (bytes) => sink.writeBuffer(bytes) };
  const decoder = new StringDecoder('utf8');
  return { sink, write: (bytes) => sink.write([decoder.write(bytes)]) };
}
