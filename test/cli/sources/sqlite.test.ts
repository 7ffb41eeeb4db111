// A million SQLite rows exported by the CLI to JSON and to JSON Lines, read back as streams and
// compared row by row with the database; the CLI's peak memory must not grow with the table;
// --jobs 2 writes the same bytes as one job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { eachArrayElement, runCli, tempDir } from '../helpers/cli.js';

const ROWS = 1_000_000;
// Measured about 130 MB (V8 collects lazily; SQLite's iteration alone peaks near 70 MB). Holding the
// rows or the text in memory would need well over 300 MB: a million row objects, ~100 MB of JSON.
// --jobs N stays under the same bound: its workers' heaps are kept small (jobs/pool.ts).
const MAX_RSS_MB = 150;

interface Row {
  id: bigint;
  big: bigint;
  real: number;
  label: string;
  blob: Buffer | null;
  maybe: string | null;
}

let dir = '';
let dbPath = '';
let db: Database.Database;

beforeAll(() => {
  dir = tempDir('sqlite');
  dbPath = join(dir, 'big.db');
  db = new Database(dbPath);
  db.pragma('journal_mode = OFF');
  db.exec(`CREATE TABLE rows (id INTEGER PRIMARY KEY, big INTEGER, real REAL, label TEXT, blob BLOB, maybe TEXT)`);
  // One statement, one transaction: the rows come from a recursive CTE, not from JS.
  db.exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${ROWS})
    INSERT INTO rows SELECT
      i,
      CASE WHEN i % 10 = 0 THEN 9007199254740993 + i * 1000003 WHEN i % 10 = 1 THEN -9223372036854775807 + i ELSE i * 7 END,
      i / 7.0,
      'Zoë "' || i || '"' || char(10) || '😀 東京',
      CASE WHEN i % 5 = 0 THEN CAST(printf('%08d', i) || x'00ff' AS BLOB) END, -- a BLOB (|| of a BLOB makes TEXT)
      CASE WHEN i % 3 = 0 THEN NULL ELSE 'ok' END
    FROM seq`);
});

afterAll(() => {
  try {
    db?.close(); // throws while a failed test's iteration is still open
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function dbRows(): IterableIterator<Row> {
  return db.prepare('SELECT * FROM rows ORDER BY id').safeIntegers(true).iterate() as IterableIterator<Row>;
}

/** A row as the JSON export holds it, with every number as its text. */
function asJsonValue(row: Row): unknown {
  return {
    id: String(row.id),
    big: String(row.big),
    real: String(row.real),
    label: row.label,
    blob: row.blob === null ? null : row.blob.toString('base64'),
    maybe: row.maybe,
  };
}

/** The exact JSON Lines line for a row: key order of the table, compact, numbers exact. */
function asLine(row: Row): string {
  const blob = row.blob === null ? 'null' : JSON.stringify(row.blob.toString('base64'));
  return `{"id":${row.id},"big":${row.big},"real":${row.real},"label":${JSON.stringify(row.label)},"blob":${blob},"maybe":${JSON.stringify(row.maybe)}}`;
}

describe(`SQLite: ${ROWS.toLocaleString('en-US')} rows`, () => {
  it('exports to JSON, every row equal to the database, in bounded memory', async () => {
    const out = join(dir, 'rows.json');
    const result = await runCli(['export', `sqlite:${dbPath}`, '--table', 'rows', '-o', out], { measureRss: true });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const expected = dbRows();
    const count = await eachArrayElement(createReadStream(out), (value, index) => {
      const row = expected.next().value as Row | undefined;
      if (row === undefined || JSON.stringify(value) !== JSON.stringify(asJsonValue(row))) {
        throw new Error(`element ${index}: ${JSON.stringify(value)} != ${row && JSON.stringify(asJsonValue(row))}`);
      }
    });
    expect(count).toBe(ROWS);
    expect(expected.next().done).toBe(true);
    expect(result.maxRssKb).toBeGreaterThan(0);
    expect((result.maxRssKb as number) / 1024).toBeLessThan(MAX_RSS_MB);
  });

  it('exports to JSON Lines, every line exactly the row, in bounded memory', async () => {
    const out = join(dir, 'rows.jsonl');
    const result = await runCli(['export', `sqlite:${dbPath}`, '--query', 'SELECT * FROM rows ORDER BY id', '--lines', '-o', out, '--quiet'], {
      measureRss: true,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const expected = dbRows();
    let count = 0;
    for await (const line of createInterface({ input: createReadStream(out), crlfDelay: Infinity })) {
      const row = expected.next().value as Row | undefined;
      if (row === undefined || line !== asLine(row)) throw new Error(`line ${count + 1}: ${line} != ${row && asLine(row)}`);
      count++;
    }
    expect(count).toBe(ROWS);
    expect(expected.next().done).toBe(true);
    expect((result.maxRssKb as number) / 1024).toBeLessThan(MAX_RSS_MB);
  });

  it('with --jobs 2, writes the same bytes as one job, in bounded memory', async () => {
    const one = join(dir, 'rows.json');
    const two = join(dir, 'rows-2.json');
    const result = await runCli(['export', `sqlite:${dbPath}`, '--table', 'rows', '-o', two, '--jobs', '2'], { measureRss: true });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(two).equals(readFileSync(one))).toBe(true);
    expect((result.maxRssKb as number) / 1024).toBeLessThan(MAX_RSS_MB);
  });
});
