// An SQLite table large enough that an export of it takes seconds: `big (id, text)`, built by
// one recursive statement (no rows pass through JavaScript).
import Database from 'better-sqlite3';

export function makeBigTable(path: string, rows: number, textLength: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, text TEXT);
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${rows})
    INSERT INTO big SELECT i, printf('%.${textLength}c', 'x') || ' ' || i FROM seq`);
  db.close();
}
