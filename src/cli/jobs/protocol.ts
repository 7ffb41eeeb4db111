// Messages between the export's main thread and its workers. Each worker reads and encodes the
// key ranges (chunks) it is given; the main thread writes the chunks' batches in chunk order.
import type { RecordLayout } from '../records.js';
import type { RowShape } from '../rows/rows.js';

/**
 * The parameters that bound a key range, by names no --param can have (a --param name is
 * letters, digits and '_'; SQLite takes '$' inside a name): a user's parameter of any name keeps
 * its value.
 */
export const RANGE_PARAMS = { lo: 'jsondump$lo', hi: 'jsondump$hi', limit: 'jsondump$limit' } as const;

/** What every worker of one export is started with. */
export interface JobSetup {
  path: string;
  /**
   * The SELECT; for key ranges (`paged`) a page of one: the columns and then the key, from the
   * key RANGE_PARAMS.lo on, up to RANGE_PARAMS.hi, at most RANGE_PARAMS.limit rows, in key order.
   */
  sql: string;
  paged: boolean;
  positional: unknown[];
  named: Record<string, unknown>;
  shape: RowShape;
  layout: RecordLayout;
  /** The output's text between two records: each record is preceded by it (separated batches). */
  separator: string;
  /** Text holding U+FFFD is checked against its bytes (not with --replace-invalid-utf8): see SqliteTextCheck. */
  checkText: boolean;
}

/** Per worker: the batches it may still post before the main thread has written some. */
export interface JobCredits {
  credits: Int32Array; // on a SharedArrayBuffer, one slot per worker
  slot: number;
}

/**
 * main → worker: read keys lo ≤ key ≤ hi (null: the whole SELECT) as chunk `chunk`; `snapshot`:
 * (again) begin the read transaction every chunk is read in; null: stop.
 */
export type JobRequest = { chunk: number; lo: bigint | null; hi: bigint | null } | { snapshot: true } | null;

/** worker → main; the bytes of a batch are separated records (see RecordBatch). */
export type JobReply =
  /** The read transaction has begun: its snapshot is fixed. */
  | { snapshot: true }
  | { chunk: number; bytes: Uint8Array; ends: number[] }
  | { chunk: number; done: true; notJson: number }
  | { error: string; source: boolean }
  /** A value of chunk `chunk` that cannot be written, at its `row`-th row (1-based): reported in chunk order. */
  | { chunk: number; row: number; error: string };
