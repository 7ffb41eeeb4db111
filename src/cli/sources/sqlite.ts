import Database from 'better-sqlite3';
import { UsageError } from '../args.js';
import { SourceError, fileSize, fractionOf, quoteTableName, type RecordSource } from './source.js';

export interface SqliteRequest {
  path: string;
  table: string | null;
  query: string | null;
  /** Count the rows first, for a percentage (costs a scan of the table). */
  count: boolean;
}

function openDatabase(path: string): Database.Database {
  fileSize(path); // clearer than SQLite's "unable to open database file"
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new SourceError(`cannot open ${path}: ${(error as Error).message}`);
  }
}

function prepare(db: Database.Database, sql: string): Database.Statement {
  let statement: Database.Statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    throw new SourceError(`SQL error: ${(error as Error).message}`);
  }
  if (!statement.reader) throw new SourceError('the query returns no rows (only SELECT-like statements can be exported)');
  // Integers come out as bigint, so values beyond 2^53 are written exactly.
  return statement.safeIntegers(true);
}

/** BLOBs are written as base64 strings; every other SQLite value maps to JSON as it is. */
function* rowsOf(statement: Database.Statement): Generator<Record<string, unknown>> {
  for (const row of statement.iterate() as IterableIterator<Record<string, unknown>>) {
    for (const key in row) {
      const value = row[key];
      if (value instanceof Uint8Array) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    }
    yield row;
  }
}

function countRows(db: Database.Database, table: string): number {
  const count = db.prepare(`SELECT count(*) FROM ${quoteTableName(table)}`).pluck().safeIntegers(true).get() as bigint;
  return Number(count);
}

/** Rows of an SQLite table or query, pulled one at a time with `.iterate()`. */
export function openSqlite(request: SqliteRequest): RecordSource {
  if (request.table === null && request.query === null) throw new UsageError('an SQLite source needs --table NAME or --query SQL');
  const db = openDatabase(request.path);
  try {
    const statement = prepare(db, request.query ?? `SELECT * FROM ${quoteTableName(request.table as string)}`);
    const total = request.count && request.table !== null ? countRows(db, request.table) : null;
    return {
      kind: 'records',
      records: rowsOf(statement),
      done: fractionOf(total),
      close: async () => {
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
