// What every source hands the writer: records in batches, laid out as the output asks.
import { statSync } from 'node:fs';
import type { DumpOptions } from '../index.js';
import { SourceError } from './errors.js';
import type { ExportArgs } from './export-args.js';

/** How records must be laid out: the library options of the output, and where a record sits. */
export interface RecordLayout {
  /** The output's library options (dialect, indent, separators, ensureAscii, …). */
  options: DumpOptions;
  /** true: each record is one line of JSON Lines; false: an element of the top-level array. */
  lines: boolean;
}

/**
 * A batch of records, in output order: every source serializes its records itself (with the
 * frame of record-frame.ts, i.e. the library's `dumps`, or with the row encoders of rows/ for
 * database rows, or with the byte re-encoder for text sources), so the writer only frames and
 * cuts bytes.
 */
export type RecordBatch =
  /**
   * Records serialized: their UTF-8 text back to back, each laid out for its place
   * (as an element of the top-level array, i.e. indented one level when indenting, exactly as
   * `dump([record, …], …, options)` writes an element; or as a compact line), with NO separator,
   * newline or bracket between or around them. ends[i] is the byte offset where record i ends.
   *
   * Bytes after the last end (or all of them, when `ends` is empty) begin a record that the
   * next batch continues: one record larger than memory can be streamed in pieces.
   * A `single` source's one value is laid out as a whole document (top level, not indented).
   * The writer may hold `bytes` after the batch is consumed: the source must not reuse them.
   *
   * `separated`: every record is preceded by the frame's separator (the text between two
   * records), so that a batch is written as it is; record i starts where record i - 1 ends plus
   * the separator's length (record 0: at the separator's length). Such a batch ends with a
   * complete record. The writer leaves out the separator before a document's first record.
   */
  { kind: 'encoded'; bytes: Uint8Array; ends: ArrayLike<number>; separated?: boolean };

export interface Source {
  /** How messages name the source (never contains a password). */
  readonly name: string;
  /** Files the source reads: `-o` naming one of them is refused. */
  readonly files: readonly string[];
  /**
   * The records, batch by batch. Aborting `signal` ends the iteration promptly. With --arrays
   * (which only database sources take) the first record is the header, the column names: not
   * a row, it opens every part of the output and no row count includes it.
   */
  batches(layout: RecordLayout, signal: AbortSignal): AsyncIterable<RecordBatch>;
  /**
   * true when the source is one JSON value, not records (a .json document whose top level is
   * not an array): the writer writes it bare, without brackets. Read after the first batch (or
   * the end of the iteration).
   */
  readonly single: boolean;
  /** Fraction of the source read so far (0..1), or null when unknown. */
  fraction(): number | null;
  /**
   * Lines for the closing summary, e.g. "--jobs 4: one job used: …". A line that starts with
   * WARNING tells of a change to the data's shape (a column renamed, a value kept as a string):
   * it is shown on stderr even when the summary is not (unless -q).
   */
  notes(): string[];
  /** Releases connections, files, workers. Idempotent, never rejects; called on success, failure and signals. */
  close(): Promise<void>;
}

/** The start of a note that is shown even without the summary (see Source.notes). */
export const WARNING = 'warning: ';

/** One kind of source: recognises its spelling and opens it (connect/prepare: fail before any output). */
export interface SourceKind {
  matches(source: string, args: ExportArgs): boolean;
  open(args: ExportArgs, signal: AbortSignal): Promise<Source>;
}

/** The size of a file to read; a missing or unreadable file is a SourceError. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
