// Writes a benchmark table into an SQLite file (with better-sqlite3, in one transaction): the
// table of dataset.js, or another given as { COLUMNS, CREATE_TABLE, rows(count, seed) }.
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { COLUMNS, CREATE_TABLE, rows } from './dataset.js';

export const PLAIN_TABLE = { COLUMNS, CREATE_TABLE, rows };

export function buildSqlite(path, count, seed = 1, table = PLAIN_TABLE) {
  rmSync(path, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(table.CREATE_TABLE);
  const insert = db.prepare(`INSERT INTO t VALUES (${table.COLUMNS.map(() => '?').join(', ')})`).safeIntegers(true);
  // better-sqlite3 binds a Buffer as a BLOB, not a bare Uint8Array
  const bind = (v) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
  db.transaction(() => {
    for (const row of table.rows(count, seed)) insert.run(row.map(bind));
  })();
  db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) buildSqlite(process.argv[2], Number(process.argv[3] ?? 1e6));
