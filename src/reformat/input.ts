import { createReadStream } from 'node:fs';
import { badOption } from '../errors.js';

/**
 * What `reformat` reads: a path or file: URL, the bytes themselves, or a Node Readable, Web
 * ReadableStream or (async) iterable of byte chunks or strings (strings are taken as UTF-8).
 */
export type ReformatInput =
  | string
  | URL
  | Uint8Array
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

// Larger reads than createReadStream's 64 KiB: fewer turns of the event loop per megabyte.
const READ_SIZE = 1 << 18;

function isIterable(v: object): v is AsyncIterable<unknown> | Iterable<unknown> {
  return Symbol.asyncIterator in v || Symbol.iterator in v;
}

/** Checks an input before anything is opened. */
export function checkInput(input: unknown): asserts input is ReformatInput {
  if (typeof input === 'string' || input instanceof URL || input instanceof Uint8Array) return;
  if (typeof input === 'object' && input !== null && isIterable(input)) return;
  throw badOption('input must be a path, a file: URL, a Uint8Array, a Readable or an (async) iterable of bytes or strings');
}

function bytesOf(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw badOption(`the input yielded a ${chunk === null ? 'null' : typeof chunk}, not bytes or a string`);
}

export interface OpenedInput {
  chunks: AsyncIterable<Uint8Array>;
  /** Stops reading: destroys the stream read (a file opened here, or the caller's Readable). */
  close(): void;
}

type Destroyable = { destroy(error?: Error): void };

/**
 * The input as byte chunks. A file is opened here, and a stream is listened to from here on:
 * an error it meets before the first chunk is read rejects the iteration instead of going
 * unhandled.
 */
export function openInput(input: ReformatInput): OpenedInput {
  if (input instanceof Uint8Array) return { chunks: once(input), close() {} };
  const source = typeof input === 'string' || input instanceof URL ? createReadStream(input, { highWaterMark: READ_SIZE }) : input;
  const stream = typeof (source as Partial<Destroyable>).destroy === 'function' ? (source as Destroyable) : null;
  // The stream's own iterator reports its error (a Readable keeps it: `errored`) once reading starts.
  (source as Partial<NodeJS.EventEmitter>).on?.('error', () => {});
  const iterator =
    Symbol.asyncIterator in source ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]() : (source as Iterable<unknown>)[Symbol.iterator]();
  return {
    chunks: (async function* () {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield bytesOf(next.value);
      }
    })(),
    close: () => {
      stream?.destroy();
      void Promise.resolve(iterator.return?.()).catch(() => {});
    },
  };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
