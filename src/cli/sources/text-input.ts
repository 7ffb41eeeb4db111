// The text sources (.json, .jsonl, stdin): a file or stdin, decompressed by its name (.gz, .br,
// .zst where the runtime has zstd), read as bytes and re-encoded record by record by the
// library's byte-level re-encoder: numbers and strings are copied as they are, invalid UTF-8 is
// refused (or replaced on request), a byte order mark is skipped, memory stays flat.

import { constants, createReadStream, openSync, statSync, type ReadStream } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { JSONDumpError, type DumpOptions } from '../../index.js';
import { abortedAs, outputTurns } from '../../reformat/drive.js';
import { untilAborted } from '../../interruptible.js';
import { JSONInputError, ReformatEncoder } from '../../reformat/encoder.js';
import type { InputFormat } from '../../reformat/format.js';
import { resolveReformatOptions } from '../../reformat/reformat-options.js';
import { utf8Chunks } from '../../reformat/utf8-chunks.js';
import { UsageError } from '../errors.js';
import { fileSize } from '../records.js';
import { SourceError } from '../errors.js';
import { StdinShapeGuard } from './stdin-shape.js';

// The shapes of ./source.ts's RecordLayout, RecordBatch, Source and SourceKind, and the flags
// of ExportArgs these sources read (structural types: the CLI's own are assignable to them).
interface Layout {
  options: DumpOptions;
  lines: boolean;
}
type EncodedBatch = { kind: 'encoded'; bytes: Uint8Array; ends: ArrayLike<number> };

/** The flags of `jsondump export` that a text source reads. */
export interface TextSourceArgs {
  source: string;
  from?: InputFormat | null;
  replaceInvalidUTF8?: boolean;
  /** The flags given on the command line, by long name (ExportArgs.given). */
  given?: readonly string[];
  jobs?: number;
  table?: string | null;
  query?: string | null;
  where?: string | null;
  params?: readonly string[];
  columns?: readonly string[] | null;
  orderBy?: string | null;
  limit?: number | null;
  arrays?: boolean;
  jsonCols?: boolean;
  blob?: string;
  bigint?: string;
  sortKeys?: boolean;
  canonical?: boolean;
}

// Output per batch: the writer's own write size.
const BATCH_BYTES = 64 * 1024;
// Larger reads than createReadStream's 64 KiB: fewer turns of the event loop per megabyte.
const READ_BYTES = 256 * 1024;

const FORMAT_NAMES: Record<InputFormat, string> = { json: 'JSON', jsonl: 'JSON Lines' };

type Compression = 'gzip' | 'brotli' | 'zstd';
const COMPRESSED = /\.(gz|br|zst)$/i;
const COMPRESSION: Record<string, Compression> = { gz: 'gzip', br: 'brotli', zst: 'zstd' };

/** The compression a file name says (.gz, .br, .zst), or null. */
export function compressionOf(path: string): Compression | null {
  const match = COMPRESSED.exec(path);
  return match === null ? null : COMPRESSION[match[1].toLowerCase()];
}

/** The text format a file name says, compression aside: .json, or .jsonl / .ndjson; null for neither. */
export function formatOf(path: string): InputFormat | null {
  const name = path.replace(COMPRESSED, '');
  if (/\.json$/i.test(name)) return 'json';
  if (/\.(jsonl|ndjson)$/i.test(name)) return 'jsonl';
  return null;
}

/** What `source` is read as: stdin is JSON Lines unless --from says; a file as its name or --from says. */
export function textFormat(source: string, from: InputFormat | null | undefined): InputFormat | null {
  if (source === '-') return from ?? 'jsonl';
  return from ?? formatOf(source);
}

function decompressor(compression: Compression, name: string): zlib.Gunzip | zlib.BrotliDecompress {
  if (compression === 'gzip') return zlib.createGunzip();
  if (compression === 'brotli') return zlib.createBrotliDecompress();
  const zstd = (zlib as { createZstdDecompress?: () => zlib.Gunzip }).createZstdDecompress;
  if (zstd === undefined) throw new SourceError(`${name}: this Node.js ${process.version} cannot read zstd (Node.js 22.15 or later can)`);
  return zstd();
}

const COMPRESSION_NAMES: Record<Compression, string> = { gzip: 'gzip', brotli: 'brotli', zstd: 'zstd' };

/** How many compressed bytes went in, and where the last one that is not zero was. */
class InputTally {
  bytes = 0;
  lastNonZero = -1;
  add(chunk: Buffer): void {
    // from the end: the last byte of a chunk is seldom zero, so this stops at once
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (chunk[i] !== 0) {
        this.lastNonZero = this.bytes + i;
        break;
      }
    }
    this.bytes += chunk.length;
  }
}

/**
 * Throws when the decompressor stopped before the end of its input. node:zlib reads gzip
 * members back to back, but stops at a zero byte where the next member would start and drops
 * the rest, and reads one brotli (or zstd) stream only: what follows may hold records. Zero bytes
 * after the last gzip member are padding (tapes, block devices): gzip -dc and Python's gzip
 * module read such a file as if they were not there.
 */
function checkConsumed(name: string, compression: Compression, decoder: zlib.Gunzip | zlib.BrotliDecompress, tally: InputTally): void {
  const used = decoder.bytesWritten;
  if (used >= tally.bytes) return;
  if (compression === 'gzip' && tally.lastNonZero < used) return;
  const what = compression === 'gzip' ? ' are neither a gzip member nor zero padding' : '';
  throw new SourceError(`${name}: bytes after the ${COMPRESSION_NAMES[compression]} data at byte offset ${used}${what}: not read, so the export fails rather than lose what they hold`);
}

/** A text source's bytes: the file (or stdin), decompressed when its name says so. */
export interface TextInput {
  chunks: AsyncIterable<Uint8Array>;
  /** Fraction of the file read (compressed bytes, for a compressed file), or null for stdin. */
  fraction(): number | null;
  close(): void;
}

/**
 * A FIFO (named pipe) opened non-blocking and read through the event loop. Read through the
 * thread pool like a file, it would hold a thread in open() until a writer comes and in read()
 * while the writer is silent: no signal could end the export, since the process cannot exit
 * while a thread is stuck. Opened O_NONBLOCK, open() returns at once, and the event loop is
 * told when data comes; no writer yet is not the end of the input (Linux reports a hang-up only
 * once a writer has been and gone).
 */
function openFifo(path: string, name: string): Readable {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new SourceError(`cannot read ${name}: ${(error as Error).message}`);
  }
  return new Socket({ fd, readable: true, writable: false });
}

/** Opens a text source now, so that a missing file fails before any output. */
export function openTextInput(path: string, name: string): TextInput {
  const size = path === '-' ? 0 : fileSize(path);
  const fifo = path !== '-' && statSync(path).isFIFO();
  const file: Readable = path === '-' ? process.stdin : fifo ? openFifo(path, name) : createReadStream(path, { highWaterMark: READ_BYTES });
  const compression = path === '-' ? null : compressionOf(path);
  const decoder = compression === null ? null : decompressor(compression, name);
  const decoded = decoder === null ? file : file.pipe(decoder);
  const tally = new InputTally();
  if (decoded !== file) {
    file.on('error', (error) => decoded.destroy(error));
    file.on('data', (chunk: Buffer) => tally.add(chunk));
  }
  decoded.on('error', () => {}); // reported by the iteration below
  return {
    chunks: (async function* () {
      try {
        for await (const chunk of decoded as AsyncIterable<Buffer>) yield chunk;
        if (decoder !== null) checkConsumed(name, compression as Compression, decoder, tally);
      } catch (error) {
        if (error instanceof SourceError) throw error;
        const e = error as NodeJS.ErrnoException;
        if (e.syscall !== undefined) throw new SourceError(`cannot read ${name}: ${e.message}`);
        throw new SourceError(`${name}: cannot decompress (${compression}): ${e.message}`);
      }
    })(),
    fraction: () => (size > 0 ? Math.min(1, (file as ReadStream).bytesRead / size) : null),
    close: () => {
      if (decoded !== file) decoded.destroy();
      file.destroy();
    },
  };
}

/** Where the library's message puts the position of invalid JSON: the CLI puts it first. */
const POSITION = / \(line \d+, column \d+, byte offset \d+\) at \S*$/;

/**
 * An input error as one line naming the source: for invalid JSON `NAME:LINE:COLUMN: reason at
 * PATH (byte offset N)`, as compilers and grep name a place in a file; for invalid UTF-8 the byte
 * offset and the flag that replaces such bytes.
 */
function sourceError(name: string, error: JSONDumpError): SourceError {
  if (error instanceof JSONInputError && error.code === 'ERR_INVALID_JSON' && POSITION.test(error.message)) {
    const reason = error.message.replace(POSITION, '');
    return new SourceError(`${name}:${error.line}:${error.column}: ${reason} at ${error.path} (byte offset ${error.offset})`);
  }
  const message = error.message.replace(/ at \$$/, '');
  const hint = error.code === 'ERR_INVALID_UTF8' ? '; --replace-invalid-utf8 writes U+FFFD in place of such bytes' : '';
  return new SourceError(`${name}: ${message}${hint}`);
}

/** A .json document or JSON Lines, as records re-encoded for the output's layout. */
export class TextSource {
  readonly files: readonly string[];
  single = false;
  private readonly input: TextInput;
  private started = false;
  private closed = false;

  constructor(
    readonly name: string,
    path: string,
    private readonly format: InputFormat,
    private readonly invalidUTF8: 'error' | 'replace',
    /** stdin read as JSON Lines by default (no --from): a JSON document on it is refused, not wrapped. */
    private readonly guardShape = false,
  ) {
    this.files = path === '-' ? [] : [path];
    this.input = openTextInput(path, name);
  }

  async *batches(layout: Layout, signal: AbortSignal): AsyncGenerator<EncodedBatch> {
    const input = this.input;
    if (this.started || this.closed) throw new SourceError(`${this.name}: the source was read already`);
    this.started = true;
    const { indent, separators, ensureAscii, dialect } = layout.options;
    const extra = layout.options as { escapeHTML?: boolean; escapeLineTerminators?: boolean };
    const options = {
      indent: layout.lines ? null : indent,
      separators,
      ensureAscii: ensureAscii ?? undefined, // null (no flag) means the dialect's
      dialect,
      escapeHTML: extra.escapeHTML,
      escapeLineTerminators: extra.escapeLineTerminators,
    };
    const { format } = resolveReformatOptions(options, 'records');
    const encoder = new ReformatEncoder({ ...format, input: this.format }, { pauseAt: BATCH_BYTES });
    const guard = this.guardShape ? new StdinShapeGuard() : null;
    const checked = utf8Chunks(untilAborted(input.chunks, signal, abortedAs('the export')), this.invalidUTF8);
    const chunks = guard === null ? checked : guard.watch(checked);
    try {
      for await (const _ of outputTurns(chunks, encoder, BATCH_BYTES)) {
        this.single = encoder.single;
        const { bytes, ends } = encoder.takeRecords();
        const batch: EncodedBatch = { kind: 'encoded', bytes, ends };
        if (guard === null) yield batch;
        else yield* guard.pass(batch, encoder.items);
      }
      if (guard !== null) yield* guard.end(encoder.items);
    } catch (error) {
      const refusal = guard?.refusal(error, encoder.items) ?? null;
      if (refusal !== null) throw refusal;
      if (error instanceof JSONDumpError && (error.code === 'ERR_INVALID_JSON' || error.code === 'ERR_INVALID_UTF8')) throw sourceError(this.name, error);
      throw error;
    } finally {
      input.close();
    }
  }

  fraction(): number | null {
    return this.input.fraction();
  }

  notes(): string[] {
    return [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.close();
  }
}

/** The flags only database sources implement, and how a caller that does not list `given` sets each. */
const DATABASE_FLAGS: [string, (args: TextSourceArgs) => boolean][] = [
  ['table', (a) => a.table != null],
  ['query', (a) => a.query != null],
  ['where', (a) => a.where != null],
  ['param', (a) => (a.params?.length ?? 0) > 0],
  ['columns', (a) => a.columns != null],
  ['order-by', (a) => a.orderBy != null],
  ['limit', (a) => a.limit != null],
  ['arrays', (a) => a.arrays === true],
  ['json-cols', (a) => a.jsonCols === true],
  ['blob', (a) => a.blob !== undefined && a.blob !== 'base64'],
  ['jobs', (a) => (a.jobs ?? 1) > 1],
];

/** Flags a text source cannot honour, with the reason. */
const STREAM_LIMITS: [string, (args: TextSourceArgs) => boolean, string][] = [
  ['sort-keys', (a) => a.sortKeys === true, 'sorting needs whole objects in memory, which a stream never holds'],
  ['canonical', (a) => a.canonical === true, 'sorting needs whole objects in memory, which a stream never holds'],
  ['bigint', (a) => a.bigint === 'string', 'every number keeps the text it has there'],
];

/** Flags that do not apply to a text source: usage errors, before anything is opened. */
function checkFlags(args: TextSourceArgs, format: InputFormat): void {
  const given = (name: string, set: (args: TextSourceArgs) => boolean) => args.given?.includes(name) === true || set(args);
  for (const [name, set] of DATABASE_FLAGS) {
    if (given(name, set)) throw new UsageError(`--${name} applies to database sources only`);
  }
  for (const [name, set, reason] of STREAM_LIMITS) {
    if (given(name, set)) throw new UsageError(`--${name} cannot be used with a ${FORMAT_NAMES[format]} source: ${reason}`);
  }
}

/** The kind of text source for one format: matches by name (or stdin, or --from) and opens it. */
export function textSourceKind(format: InputFormat) {
  return {
    matches(source: string, args: TextSourceArgs): boolean {
      return textFormat(source, args.from) === format;
    },
    async open(args: TextSourceArgs, _signal: AbortSignal): Promise<TextSource> {
      checkFlags(args, format);
      const named = args.source === '-' ? null : formatOf(args.source);
      if (named !== null && args.from != null && named !== args.from) {
        throw new UsageError(`--from ${args.from} contradicts the name ${args.source} (${named === 'json' ? 'a JSON document' : 'JSON Lines'})`);
      }
      const name = args.source === '-' ? 'stdin' : args.source;
      const guardShape = args.source === '-' && args.from == null;
      return new TextSource(name, args.source, format, args.replaceInvalidUTF8 ? 'replace' : 'error', guardShape);
    },
  };
}
