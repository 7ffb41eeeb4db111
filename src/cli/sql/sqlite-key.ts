// The integer key (rowid) of an SQLite table, by a name that reaches it. `rowid`, `_rowid_` and
// `oid` all name the key only while no column of the table has that name (in any case): a
// column named `_rowid_` is that column, NULLs and text included. An INTEGER PRIMARY KEY is the
// key under its own name. A view, a WITHOUT ROWID table, or a table whose columns hide all three
// names and that has no INTEGER PRIMARY KEY has no key to split or order by.
import type { KeyBounds } from './key-chunks.js';
import { ANSI, quoteTable, tableNameParts } from './select.js';
import type { SqliteDatabase } from './sqlite-driver.js';

/** A table's key: the SQL that names it (quoted when it is a column), and its bounds. */
export interface SqliteKey extends KeyBounds {
  name: string;
}

const BUILT_IN = ['_rowid_', 'rowid', 'oid'];

interface Column {
  name: string;
  type: string;
  pk: number;
}

/** The table's columns (hidden and generated ones too), and whether its primary key is an index of its own. */
function describe(db: SqliteDatabase, table: string): { columns: Column[]; pkIndex: boolean } {
  const parts = tableNameParts(table);
  const name = parts[parts.length - 1];
  const schema = parts.length > 1 ? parts[0] : null;
  const args = schema === null ? '?' : '?, ?';
  const values = schema === null ? [name] : [name, schema];
  const columns = [...db.prepare(`SELECT name, type, pk FROM pragma_table_xinfo(${args})`).rows(values, {})].map(
    ([n, t, pk]) => ({ name: String(n), type: String(t), pk: Number(pk) }),
  );
  // An INTEGER PRIMARY KEY that is not the rowid (declared DESC, or in a WITHOUT ROWID table) has an index of origin 'pk'.
  const pkIndex = [...db.prepare(`SELECT origin FROM pragma_index_list(${args})`).rows(values, {})].some(([origin]) => origin === 'pk');
  return { columns, pkIndex };
}

/** The bounds of `name` in `table`, or null when it names no integer key there. */
function bounds(db: SqliteDatabase, table: string, name: string): KeyBounds | null {
  let rows;
  try {
    const from = quoteTable(table, ANSI);
    // two subqueries: SQLite reads min() and max() from the b-tree's ends only when each is alone
    rows = db.prepare(`SELECT (SELECT min(${name}) FROM ${from}), (SELECT max(${name}) FROM ${from})`).rows([], {});
  } catch {
    return null; // a view, a WITHOUT ROWID table
  }
  const [min, max] = rows.next().value as [unknown, unknown];
  rows.return?.();
  if ((min !== null && typeof min !== 'bigint') || (max !== null && typeof max !== 'bigint')) return null;
  return { min: min ?? 0n, max: max ?? -1n };
}

/** The key of `table` (given as --table gives it), or why it has none to split by. */
export function sqliteKey(db: SqliteDatabase, table: string): SqliteKey | string {
  const { columns, pkIndex } = describe(db, table);
  const taken = new Set(columns.map((c) => c.name.toLowerCase()));
  for (const name of BUILT_IN.filter((n) => !taken.has(n))) {
    const found = bounds(db, table, name);
    if (found !== null) return { name, ...found };
  }
  const pk = columns.filter((c) => c.pk > 0);
  if (pk.length === 1 && pk[0].type.toUpperCase() === 'INTEGER' && !pkIndex) {
    const name = ANSI.quote(pk[0].name);
    const found = bounds(db, table, name);
    if (found !== null) return { name, ...found };
  }
  if (BUILT_IN.every((n) => taken.has(n))) return `the columns rowid, _rowid_ and oid of ${table} hide its key, and it has no INTEGER PRIMARY KEY`;
  return `${table} has no integer key (a view or a WITHOUT ROWID table)`;
}
