// The key of an SQLite table for a plan, and its distribution, read in one read transaction.
// The key is --key's columns, or the table's own: its PRIMARY KEY, else its rowid (reached as
// --jobs reaches it, by a name no column takes).
// Boundaries are exact: integers as 64-bit integers, text by its bytes (refused when they are
// not UTF-8), BLOBs as hex; a REAL at a boundary is refused (its text need not read back as it).
import { SourceError, UsageError } from '../errors.js';
import { parseParams, quoteTable, tableNameParts, type Params } from '../sql/select.js';
import { openSqliteDatabase, type SqliteDatabase } from '../sql/sqlite-driver.js';
import { sqliteKey } from '../sql/sqlite-key.js';
import { SQLITE } from '../sources/sqlite.js';
import type { ExportArgs } from '../export-args.js';
import { keyOrder, keySql, SQLITE_KEY } from './key-sql.js';
import { uniqueBy, type KeyReader } from './key-reader.js';
import type { KeyColumn, KeyTuple, KeyValue } from './plan-file.js';

const ROWID_NAMES = ['rowid', '_rowid_', 'oid'];

interface TableColumn {
  name: string;
  type: string;
  notNull: boolean;
  pk: number;
}

/** `pragma_NAME(arg, schema)` for --table's schema, and its arguments. */
function pragma(name: string, table: string, arg = tableNameParts(table).at(-1) as string): [string, string[]] {
  const parts = tableNameParts(table);
  return parts.length > 1 ? [`pragma_${name}(?, ?)`, [arg, parts[0]]] : [`pragma_${name}(?)`, [arg]];
}

function all(db: SqliteDatabase, sql: string, values: unknown[], named: Record<string, unknown> = {}): unknown[][] {
  return [...db.prepare(sql).rows(values, named)];
}

function tableColumns(db: SqliteDatabase, table: string): TableColumn[] {
  const [from, args] = pragma('table_xinfo', table);
  return all(db, `SELECT name, type, "notnull", pk FROM ${from}`, args).map(([name, type, notNull, pk]) => ({
    name: String(name),
    type: String(type),
    notNull: Number(notNull) === 1,
    pk: Number(pk),
  }));
}

/**
 * The key of `table` when --key does not name one: its PRIMARY KEY (its INTEGER PRIMARY KEY is
 * the rowid itself), else its rowid. A rowid that no column holds is the last choice: VACUUM may
 * renumber it between the plan and the shards, and the output does not show it.
 */
function ownKey(db: SqliteDatabase, table: string, columns: TableColumn[], rowid: string | null): KeyColumn[] {
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (pk.length === 1 && SQLITE.quote(pk[0].name) === rowid) return [{ name: pk[0].name, type: pk[0].type, nullable: false }];
  if (pk.length > 0) return pk.map((c) => ({ name: c.name, type: c.type, nullable: !c.notNull }));
  if (rowid !== null) return [{ name: rowid, type: 'INTEGER', nullable: false, rowid: true }];
  throw new UsageError(`${sqliteKey(db, table) as string}: give --key COLUMN (or several, a,b) to cut it by`);
}

/**
 * The SQL that reaches the table's rowid: its INTEGER PRIMARY KEY quoted, or a bare name no
 * column takes (rowid, _rowid_, oid); null for a table without one.
 */
function rowidSql(db: SqliteDatabase, table: string, columns: TableColumn[]): string | null {
  const found = sqliteKey(db, table);
  if (typeof found !== 'object') return null;
  // sqliteKey prefers a bare name; the INTEGER PRIMARY KEY reaches the same rowid when it is its alias
  const pk = columns.filter((c) => c.pk > 0);
  if (pk.length === 1 && pk[0].type.toUpperCase() === 'INTEGER' && !hasPkIndex(db, table)) return SQLITE.quote(pk[0].name);
  return found.name;
}

/** Whether the primary key has an index of its own (not the rowid: declared DESC, or WITHOUT ROWID). */
function hasPkIndex(db: SqliteDatabase, table: string): boolean {
  const [from, args] = pragma('index_list', table);
  return all(db, `SELECT origin FROM ${from}`, args).some(([origin]) => origin === 'pk');
}

/** --key's columns, by the table's spelling of their names; a rowid name that no column takes is the rowid. */
function givenKey(names: string[], table: string, columns: TableColumn[], rowid: string | null): KeyColumn[] {
  return names.map((name) => {
    const column = columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (column !== undefined) {
      // an INTEGER PRIMARY KEY is the rowid: never NULL
      return { name: column.name, type: column.type, nullable: !column.notNull && SQLITE.quote(column.name) !== rowid };
    }
    if (ROWID_NAMES.includes(name.toLowerCase()) && rowid !== null) return { name: name.toLowerCase(), type: 'INTEGER', nullable: false, rowid: true };
    throw new UsageError(`--key ${name}: ${table} has no such column`);
  });
}

/** Whether the rowid, or a unique index (not partial, no expression), makes the key unique. */
function isUnique(db: SqliteDatabase, table: string, key: KeyColumn[], rowid: string | null): boolean {
  if (key.some((c) => c.rowid === true || keySqlOf(c) === rowid)) return true;
  const [from, args] = pragma('index_list', table);
  const schema = args.length > 1 ? args[1] : null;
  for (const [name, unique, partial] of all(db, `SELECT name, "unique", partial FROM ${from}`, args)) {
    if (Number(unique) !== 1 || Number(partial) !== 0) continue;
    const info = all(db, `SELECT name FROM pragma_index_info(?${schema === null ? '' : ', ?'})`, schema === null ? [name] : [name, schema]);
    if (uniqueBy(info.map(([column]) => (column === null ? null : String(column))), key)) return true;
  }
  return false;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** One key value as SQLite holds it (typeof, hex, the value), tagged exactly. */
function keyValue(type: unknown, hex: unknown, value: unknown, column: KeyColumn): KeyValue {
  if (type === 'integer') return { integer: String(value) };
  if (type === 'blob') return { blob: String(hex).toLowerCase() };
  if (type === 'text') {
    try {
      return { text: UTF8.decode(Buffer.from(String(hex), 'hex')) };
    } catch {
      throw new SourceError(`the key ${column.name} holds text that is not UTF-8 at a shard boundary (${String(hex).slice(0, 40)}… in hex): it cannot be written in a plan`);
    }
  }
  throw new SourceError(`the key ${column.name} holds a ${String(type).toUpperCase()} (${String(value)}) at a shard boundary: jsondump cuts SQLite keys of INTEGER, TEXT and BLOB values`);
}

class SqliteKeyReader implements KeyReader {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly from: string,
    private readonly where: string | null,
    private readonly params: Params,
    readonly key: KeyColumn[],
    readonly unique: boolean,
    readonly columns: string[],
  ) {}

  private filter(condition: string): string {
    return this.where === null ? condition : `(${this.where}) AND (${condition})`;
  }

  async count(condition: string): Promise<number> {
    const [[n]] = all(this.db, `SELECT count(*) FROM ${this.from} WHERE ${this.filter(condition)}`, this.params.positional, this.params.named);
    return Number(n);
  }

  async keyAt(condition: string, offset: number): Promise<KeyTuple | null> {
    const values = this.key.map((c) => `typeof(${keySqlOf(c)}), hex(${keySqlOf(c)}), ${keySqlOf(c)}`).join(', ');
    const sql = `SELECT ${values} FROM ${this.from} WHERE ${this.filter(condition)} ORDER BY ${keyOrder(this.key, SQLITE_KEY)} LIMIT 1 OFFSET ${offset}`;
    const rows = all(this.db, sql, this.params.positional, this.params.named);
    if (rows.length === 0) return null;
    return this.key.map((column, i) => keyValue(rows[0][3 * i], rows[0][3 * i + 1], rows[0][3 * i + 2], column));
  }

  async close(): Promise<void> {
    try {
      this.db.exec('COMMIT');
    } catch {
      // the transaction ended with a failure already
    }
    this.db.close();
  }
}

const keySqlOf = (column: KeyColumn) => keySql([column]);

/** Opens `path`, begins a read transaction, and finds the key of --table (or --key's). */
export async function sqliteKeyReader(path: string, args: ExportArgs, keyNames: string[] | null): Promise<KeyReader> {
  const db = await openSqliteDatabase(path);
  try {
    const table = args.table as string;
    const from = quoteTable(table, SQLITE);
    const columns = tableColumns(db, table);
    if (columns.length === 0) throw new SourceError(`no such table: ${table}`);
    const params = parseParams(args.params, args.paramsAsText, SQLITE);
    // the selection as the shards run it, prepared once here so that an error shows now
    const selected = args.columns === null ? '*' : args.columns.map(SQLITE.quote).join(', ');
    const selection = db.prepare(`SELECT ${selected} FROM ${from}${args.where === null ? '' : ` WHERE (${args.where})`} LIMIT 0`);
    // every read below sees one snapshot: the counts and the keys agree
    db.exec('BEGIN');
    const rowid = rowidSql(db, table, columns);
    const key = keyNames === null ? ownKey(db, table, columns, rowid) : givenKey(keyNames, table, columns, rowid);
    return new SqliteKeyReader(db, from, args.where, params, key, isUnique(db, table, key, rowid), selection.columns);
  } catch (error) {
    db.close();
    throw error;
  }
}
