// SQLite TEXT may hold bytes that are not UTF-8; the drivers decode them to U+FFFD without a
// word. A text value that holds U+FFFD is therefore checked against its bytes: read again, as a
// BLOB, from the same SELECT through a second connection (a driver iterating a statement keeps
// its connection busy), at the same row. Text that really holds U+FFFD is valid and passes;
// other text fails the export with its row and column. The second SELECT is read forward once
// alongside the first, so that checking many rows costs one more pass at most.
import { firstInvalidUtf8 } from '../../reformat/utf8-chunks.js';
import { columnLabel, ValueError } from '../rows/value-errors.js';
import type { SqliteDatabase } from './sqlite-driver.js';

const HINT = '--replace-invalid-utf8 writes U+FFFD in place of such bytes';

/** `sql` as a SELECT of the same rows whose text values come as their bytes (other values as NULL). */
function bytesOf(sql: string, columns: number): string {
  const names = Array.from({ length: columns }, (_, i) => `c${i + 1}`);
  const raw = names.map((name) => `CASE WHEN typeof(${name}) = 'text' THEN CAST(${name} AS BLOB) END`);
  // on lines of their own: the user's SQL may end in a comment; a final ';' ends no statement here
  return `WITH "jsondump$rows"(${names.join(', ')}) AS (\n${sql.replace(/[\s;]+$/, '')}\n) SELECT ${raw.join(', ')} FROM "jsondump$rows"`;
}

export class SqliteTextCheck {
  private rows: Iterator<unknown[]> | null = null;
  /** Rows of `rows` read so far, and the last of them. */
  private read = 0;
  private last: unknown[] = [];

  constructor(
    /** A connection of its own on the same database. */
    private readonly db: SqliteDatabase,
    private readonly columns: readonly string[],
  ) {}

  /** A RowBytes text check for the statement `sql` run with these parameters. */
  forStatement(sql: string, positional: readonly unknown[], named: Record<string, unknown>): (row: unknown[], rowNumber: number) => void {
    this.close();
    const query = bytesOf(sql, this.columns.length);
    return (row, rowNumber) => this.check(row, rowNumber, () => this.db.prepare(query).rows(positional, named));
  }

  private check(row: unknown[], rowNumber: number, open: () => Iterator<unknown[]>): void {
    for (let i = 0; i < row.length; i++) {
      const text = row[i];
      if (typeof text !== 'string' || !text.includes('\uFFFD')) continue;
      const bytes = this.bytesAt(rowNumber, i, open);
      if (bytes === null || Buffer.from(bytes).toString('utf8') !== text) {
        const reason = `holds U+FFFD, and its bytes could not be read again to tell whether they are UTF-8 (the rows changed meanwhile); ${HINT}`;
        throw new ValueError(columnLabel(this.columns[i]), reason, rowNumber);
      }
      const invalid = firstInvalidUtf8(bytes);
      if (invalid >= 0) throw new ValueError(columnLabel(this.columns[i]), `the text is not valid UTF-8 (byte offset ${invalid}); ${HINT}`, rowNumber);
    }
  }

  /** The bytes of column `column` of the `rowNumber`-th row (1-based), or null if there is none. */
  private bytesAt(rowNumber: number, column: number, open: () => Iterator<unknown[]>): Uint8Array | null {
    if (this.rows === null || this.read > rowNumber) {
      this.close();
      try {
        this.rows = open();
      } catch {
        return null; // a statement that cannot be wrapped (PRAGMA …): its bytes cannot be read
      }
    }
    while (this.read < rowNumber) {
      const next = (this.rows as Iterator<unknown[]>).next();
      if (next.done === true) return null;
      this.last = next.value;
      this.read++;
    }
    const bytes = this.last[column];
    return bytes instanceof Uint8Array ? bytes : null;
  }

  /** Ends the reading of the last statement (its read transaction with it). */
  close(): void {
    this.rows?.return?.();
    this.rows = null;
    this.read = 0;
    this.last = [];
  }
}
