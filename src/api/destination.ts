import type { FileHandle } from 'node:fs/promises';
import { badOption } from '../errors.js';
import { FileSink, fdWriter, handleWriter } from '../sink/file.js';
import { openPath } from '../sink/path.js';
import type { Sink } from '../sink/sink.js';
import { WritableSink } from '../sink/writable.js';

/** Where `dump` and `dumpLines` can write. */
export type Destination = string | URL | NodeJS.WritableStream | FileHandle | number;

function isFileHandle(d: object): d is FileHandle {
  const h = d as Partial<FileHandle>;
  return typeof h.fd === 'number' && typeof h.write === 'function' && typeof h.readFile === 'function';
}

function isWritable(d: object): d is NodeJS.WritableStream {
  const w = d as Partial<NodeJS.WritableStream>;
  return typeof w.write === 'function' && typeof w.end === 'function' && typeof w.on === 'function';
}

/** Checks a destination before anything is opened or written. */
export function checkDestination(dest: unknown): asserts dest is Destination {
  if (typeof dest === 'string' || dest instanceof URL) return;
  if (typeof dest === 'number' && Number.isInteger(dest) && dest >= 0) return;
  if (typeof dest === 'object' && dest !== null && (isFileHandle(dest) || isWritable(dest))) return;
  throw badOption('destination must be a path, a file: URL, a Writable, a FileHandle or a file descriptor');
}

export async function openSink(dest: Destination, o: { end: boolean; atomic: boolean }): Promise<Sink> {
  if (typeof dest === 'string' || dest instanceof URL) return openPath(dest, o.atomic);
  if (typeof dest === 'number') return new FileSink(fdWriter(dest));
  if (isFileHandle(dest)) return new FileSink(handleWriter(dest));
  return new WritableSink(dest, o.end);
}
