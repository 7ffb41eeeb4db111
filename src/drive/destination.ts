import type { FileHandle } from 'node:fs/promises';
import type { WritableStream } from 'node:stream/web';
import { badOption } from '../errors.js';
import { FileSink, FileSinkSync } from '../sink/file.js';
import { runAsync, runSync } from '../sink/fs.js';
import { callerFile, openFile } from '../sink/path-target.js';
import type { Sink, SyncSink } from '../sink/sink.js';
import { WebWritableSink } from '../sink/web-writable.js';
import { WritableSink } from '../sink/writable.js';

/** Where `dump` and `dumpLines` can write. */
export type Destination = string | URL | NodeJS.WritableStream | WritableStream<Uint8Array> | FileHandle | number;

/** Where `dumpSync` can write. */
export type SyncDestination = string | URL | number;

function isFileHandle(d: object): d is FileHandle {
  const h = d as Partial<FileHandle>;
  return typeof h.fd === 'number' && typeof h.write === 'function' && typeof h.readFile === 'function';
}

function isWritable(d: object): d is NodeJS.WritableStream {
  const w = d as Partial<NodeJS.WritableStream>;
  return typeof w.write === 'function' && typeof w.end === 'function' && typeof w.on === 'function';
}

function isWebWritable(d: object): d is WritableStream<Uint8Array> {
  const w = d as Partial<WritableStream>;
  return typeof w.getWriter === 'function' && typeof w.abort === 'function' && 'locked' in w;
}

const isFd = (d: unknown): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 0;

/** Checks a destination before anything is opened or written. */
export function checkDestination(dest: unknown): asserts dest is Destination {
  if (typeof dest === 'string' || dest instanceof URL || isFd(dest)) return;
  if (typeof dest === 'object' && dest !== null && (isFileHandle(dest) || isWebWritable(dest) || isWritable(dest))) return;
  throw badOption('destination must be a path, a file: URL, a Writable, a WritableStream, a FileHandle or a file descriptor');
}

export async function openSink(dest: Destination, o: { end: boolean; atomic: boolean }): Promise<Sink> {
  if (typeof dest === 'string' || dest instanceof URL) return new FileSink(await runAsync(openFile(dest, o.atomic)));
  if (typeof dest === 'number') return new FileSink(callerFile(dest));
  if (isFileHandle(dest)) return new FileSink(callerFile(dest.fd));
  if (isWebWritable(dest)) return new WebWritableSink(dest, o.end);
  return new WritableSink(dest, o.end);
}

/** The sink of dumpSync; throws ERR_BAD_OPTION for a destination it cannot write to. */
export function openSinkSync(dest: unknown, o: { atomic: boolean }): SyncSink {
  if (isFd(dest)) return new FileSinkSync(callerFile(dest));
  if (typeof dest === 'string' || dest instanceof URL) return new FileSinkSync(runSync(openFile(dest, o.atomic)));
  throw badOption('dumpSync() writes to a path, a file: URL or a file descriptor');
}
