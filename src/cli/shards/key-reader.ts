// What `jsondump plan` asks of a database: the key, and counts and keys at offsets among the
// selected rows in key order, all in one snapshot (sql/… readers implement it per database).
import type { KeyColumn, KeyTuple } from './plan-file.js';

export interface KeyReader {
  readonly key: KeyColumn[];
  /** The names of the columns the selection returns (--columns, or the table's now). */
  readonly columns: string[];
  /** Whether no two rows share a key without NULL in it (a primary key, a unique index). */
  readonly unique: boolean;
  /** The selected rows (--where) that also match `condition` (SQL). */
  count(condition: string): Promise<number>;
  /** The key of the row `offset` rows into those matching `condition`, in key order; null past the last. */
  keyAt(condition: string, offset: number): Promise<KeyTuple | null>;
  /** Ends the snapshot and the connection. Never rejects. */
  close(): Promise<void>;
}

/** Whether the columns of a unique index (a set of names, none an expression) make `key` unique: they are among its columns. */
export function uniqueBy(indexColumns: readonly (string | null)[], key: readonly KeyColumn[]): boolean {
  const names = new Set(key.map((column) => column.name));
  return indexColumns.length > 0 && indexColumns.every((name) => name !== null && names.has(name));
}
