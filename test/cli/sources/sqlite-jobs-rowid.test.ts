// A table's own column may be named rowid, _rowid_ or oid: then that name is the column, not the
// row's key. --jobs N splits by the real key (an unshadowed name for it, or the INTEGER PRIMARY
// KEY), and every selection reads in the real key order; with no name left for the key, one job
// runs and the summary says so. The oracle: the sqlite3 shell's rows (-json) in the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../helpers/cli.js';

const ROWS = 20000;

let dir = '';
let db = '';

beforeAll(() => {
  dir = tempDir('sqlite-rowid');
  db = join(dir, 'r.db');
  const d = new Database(db);
  const seq = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})`;
  d.exec(`
    CREATE TABLE nulls (_rowid_ INTEGER, v INTEGER);
    ${seq} INSERT INTO nulls SELECT CASE WHEN i % 10 = 0 THEN ${ROWS} - i END, i FROM n;
    CREATE TABLE texts (_rowid_ TEXT, v INTEGER);
    ${seq} INSERT INTO texts SELECT CASE WHEN i % 2 = 0 THEN 'k' || i ELSE i END, i FROM n;
    CREATE TABLE keyed (rowid TEXT, _rowid_ TEXT, oid TEXT, id INTEGER PRIMARY KEY, v INTEGER);
    ${seq} INSERT INTO keyed SELECT 'r', NULL, 'o', (i * 7919) % 100003, i FROM n;
    CREATE TABLE hidden (rowid TEXT, _rowid_ TEXT, oid TEXT, v INTEGER);
    ${seq} INSERT INTO hidden SELECT 'r', i % 3, NULL, i FROM n;
    CREATE TABLE upper (ROWID TEXT, v INTEGER);
    ${seq} INSERT INTO upper SELECT ${ROWS} - i, i FROM n;`);
  d.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rows as the sqlite3 shell reads them (its -json), one JSON text each. */
function shellRows(sql: string): string[] {
  const text = execFileSync('sqlite3', ['-readonly', '-json', db, sql], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return (JSON.parse(text) as unknown[]).map((row) => JSON.stringify(row));
}

async function exported(table: string, jobs: string): Promise<{ rows: string[]; stderr: string }> {
  const result = await runCli(['export', `sqlite:${db}`, '--table', table, '--lines', '--jobs', jobs, '--verbose']);
  expect(result.status).toBe(0);
  return { rows: result.stdout.split('\n').slice(0, -1), stderr: result.stderr };
}

describe('a column that shadows the rowid', () => {
  for (const [table, order] of [['nulls', 'rowid'], ['texts', 'oid'], ['keyed', 'id'], ['upper', '_rowid_']] as const) {
    it(`${table}: every row, in key order, whatever --jobs`, async () => {
      const expected = shellRows(`SELECT * FROM ${table} ORDER BY ${order}`);
      expect(expected.length).toBe(ROWS);
      for (const jobs of ['1', '2', '3']) {
        const { rows, stderr } = await exported(table, jobs);
        expect(rows).toEqual(expected);
        expect(stderr).not.toContain('one job used');
      }
    });
  }

  it('hidden: no name reaches the key, so one job runs, says why, and loses nothing', async () => {
    const { rows, stderr } = await exported('hidden', '2');
    expect(rows.length).toBe(ROWS);
    expect(rows.map((row) => JSON.parse(row).v).sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(stderr).toContain('jsondump: --jobs 2: one job used: the columns rowid, _rowid_ and oid of hidden hide its key, and it has no INTEGER PRIMARY KEY\n');
  });
});
