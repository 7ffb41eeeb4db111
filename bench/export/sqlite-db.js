// Writes the benchmark table into an SQLite file (with better-sqlite3, in one transaction).
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { COLUMNS, CREATE_TABLE, rows } from './dataset.js';

export function buildSqlite(path, count, seed = 1) {
  rmSync(path, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(CREATE_TABLE);
  const insert = db.prepare(`INSERT INTO t VALUES (${COLUMNS.map(() => '?').join(', ')})`).safeIntegers(true);
  db.transaction(() => {
    for (const row of rows(count, seed)) insert.run(row);
  })();
  db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) buildSqlite(process.argv[2], Number(process.argv[3] ?? 1e6));
