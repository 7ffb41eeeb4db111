// SQLite through node:sqlite where the runtime has all of it (Node 22.13+ with arrays of values
// and column names), else through better-sqlite3: the same rows either way, integers as bigint
// (exact past 2^53) and BLOBs as bytes.
import { statSync } from 'node:fs';
import { loadDriver } from './load-driver.js';
import { SourceError } from '../errors.js';

export interface SqliteStatement {
  /** Result column names, in order. */
  readonly columns: string[];
  /** Each result column's declared type, as the table declares it (null for an expression). */
  readonly types: (string | null)[];
  /** Rows as arrays of values. */
  rows(positional: readonly unknown[], named: Record<string, unknown>): IterableIterator<unknown[]>;
  /** Every row at once: one call into the driver instead of one per row (better-sqlite3, 200k rows of 9 columns: 1.3 vs 1.6 s). */
  all(positional: readonly unknown[], named: Record<string, unknown>): unknown[][];
}

export interface SqliteDatabase {
  readonly driver: 'node:sqlite' | 'better-sqlite3';
  /** Prepares a statement that returns rows; throws SourceError otherwise. */
  prepare(sql: string): SqliteStatement;
  /** Runs statements that return no rows (BEGIN, COMMIT). */
  exec(sql: string): void;
  close(): void;
}

export type SqliteDriverName = SqliteDatabase['driver'];

/** node:sqlite serves from Node 22.13 (unflagged, iterate()), given setReturnArrays and columns(). */
export function chooseSqliteDriver(nodeVersion: string, statementApi: readonly string[] | null): SqliteDriverName {
  const [major, minor] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  const recent = major > 22 || (major === 22 && minor >= 13);
  const api = statementApi ?? [];
  const complete = ['iterate', 'all', 'setReadBigInts', 'setReturnArrays', 'columns'].every((name) => api.includes(name));
  return recent && complete ? 'node:sqlite' : 'better-sqlite3';
}

/** A readable path that is a file, or a SourceError saying what it is instead. */
export function checkDatabaseFile(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (stats.isDirectory()) throw new SourceError(`cannot open ${path}: it is a directory, not an SQLite database file`);
}

function sqlError(error: unknown): SourceError {
  const message = (error as Error).message;
  const table = /^no such table: (?:main\.)?(.*)$/.exec(message);
  return new SourceError(table !== null ? `no such table: ${table[1]}` : `SQL error: ${message}`);
}

function notRows(): SourceError {
  return new SourceError('the query returns no rows (only SELECT-like statements can be exported)');
}

interface NodeSqliteStatement {
  iterate(...args: unknown[]): IterableIterator<unknown[]>;
  all(...args: unknown[]): unknown[][];
  setReadBigInts(on: boolean): void;
  setReturnArrays(on: boolean): void;
  columns(): { name: string; type: string | null }[];
}

interface NodeSqliteModule {
  DatabaseSync: new (path: string, options: { readOnly: boolean }) => {
    prepare(sql: string): NodeSqliteStatement;
    exec(sql: string): void;
    close(): void;
  };
  StatementSync?: { prototype: object };
}

async function nodeSqlite(): Promise<NodeSqliteModule | null> {
  try {
    return (await import('node:sqlite' as string)) as NodeSqliteModule;
  } catch {
    return null;
  }
}

function openNodeSqlite(mod: NodeSqliteModule, path: string): SqliteDatabase {
  const db = new mod.DatabaseSync(path, { readOnly: true });
  return {
    driver: 'node:sqlite',
    prepare(sql) {
      let statement: NodeSqliteStatement;
      try {
        statement = db.prepare(sql);
      } catch (error) {
        throw sqlError(error);
      }
      const described = statement.columns();
      const columns = described.map((c) => c.name);
      if (columns.length === 0) throw notRows();
      statement.setReadBigInts(true);
      statement.setReturnArrays(true);
      return {
        columns,
        types: described.map((c) => c.type ?? null),
        rows: (positional, named) => statement.iterate(named, ...positional),
        all: (positional, named) => statement.all(named, ...positional),
      };
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}

/** SQLite's own default page cache, in KiB (negative: a size, not a page count). */
const PAGE_CACHE_KIB = -2000;

async function openBetterSqlite(path: string): Promise<SqliteDatabase> {
  const { default: Database } = await loadDriver('better-sqlite3', 'an SQLite source', () => import('better-sqlite3'));
  let db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new SourceError(`cannot open ${path}: ${(error as Error).message}`);
  }
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection (SQLite's own default:
  // 2 MB). An export reads each page once, and --jobs N opens a connection per worker: with
  // 16 MB each, peak RSS of --jobs 2 on 1M rows of the everyday mix was 227 MiB, with 2 MB
  // 199 MiB, with no loss of speed (`/usr/bin/time -v jsondump export sqlite:… --jobs 2`).
  db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
  return {
    driver: 'better-sqlite3',
    prepare(sql) {
      let statement;
      try {
        statement = db.prepare(sql);
      } catch (error) {
        throw sqlError(error);
      }
      if (!statement.reader) throw notRows();
      const described = statement.columns();
      // Arrays of values: a row object per row costs more than reading the row.
      statement.raw(true).safeIntegers(true);
      const args = (positional: readonly unknown[], named: Record<string, unknown>) => (Object.keys(named).length > 0 ? [...positional, named] : positional);
      return {
        columns: described.map((c) => c.name),
        types: described.map((c) => c.type ?? null),
        rows: (positional, named) => statement.iterate(...args(positional, named)) as IterableIterator<unknown[]>,
        all: (positional, named) => statement.all(...args(positional, named)) as unknown[][],
      };
    },
    exec: (sql) => void db.exec(sql),
    close: () => db.close(),
  };
}

/** Opens `path` read-only with the driver this runtime prefers. */
export async function openSqliteDatabase(path: string): Promise<SqliteDatabase> {
  checkDatabaseFile(path);
  const mod = await nodeSqlite();
  const api = mod?.StatementSync ? Object.getOwnPropertyNames(mod.StatementSync.prototype) : null;
  if (mod !== null && chooseSqliteDriver(process.version, api) === 'node:sqlite') {
    try {
      return openNodeSqlite(mod, path);
    } catch (error) {
      throw new SourceError(`cannot open ${path}: ${(error as Error).message}`);
    }
  }
  return openBetterSqlite(path);
}
