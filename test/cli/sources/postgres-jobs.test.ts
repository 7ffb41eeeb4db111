// --jobs N on a PostgreSQL table with an integer primary key: N connections read ranges of the
// key in one snapshot, and the output is the rows in key order, byte for byte what one
// connection writes for the same SELECT ordered by the key. Where the selection cannot be split
// by key, one job runs and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { pgClosed, pgConnected, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_jobs_${process.pid}`;
const NO_KEY = `jsondump_jobs_nokey_${process.pid}`;
const TEXT_KEY = `jsondump_jobs_textkey_${process.pid}`;
const EMPTY = `jsondump_jobs_empty_${process.pid}`;

let server: PgServer;
let client: pg.Client;

beforeAll(async () => {
  ({ server, client } = await pgConnected());
  await client.query(`DROP TABLE IF EXISTS ${TABLE}, ${NO_KEY}, ${TEXT_KEY}, ${EMPTY}`);
  await client.query(`CREATE TABLE ${TABLE} (id int8 PRIMARY KEY, big int8, amount numeric, ratio float8, note text, at timestamptz)`);
  // Sparse keys (every third, some far apart), inserted out of key order: the table's own order is not the key's.
  await client.query(`INSERT INTO ${TABLE}
    SELECT i * 3 + CASE WHEN i % 1000 = 0 THEN 1000000 ELSE 0 END,
           CASE WHEN i % 7 = 0 THEN NULL ELSE 9007199254740993 + i END,
           i / 7.0, i * 0.1,
           CASE WHEN i % 5 = 0 THEN NULL ELSE 'row ' || i || E' "q" \\\\ \\n é 中 😀' END,
           timestamptz '2024-01-01 00:00:00.123456+00' + i * interval '1 second'
      FROM generate_series(1, 60000) AS i ORDER BY random()`);
  await client.query(`CREATE TABLE ${NO_KEY} (id int, v text)`);
  await client.query(`INSERT INTO ${NO_KEY} VALUES (1, 'a'), (2, 'b')`);
  await client.query(`CREATE TABLE ${TEXT_KEY} (id text PRIMARY KEY)`);
  await client.query(`INSERT INTO ${TEXT_KEY} VALUES ('a'), ('b')`);
  await client.query(`CREATE TABLE ${EMPTY} (id int PRIMARY KEY)`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}, ${NO_KEY}, ${TEXT_KEY}, ${EMPTY}`).catch(() => {});
  await pgClosed(server, client);
});

/** One connection's output of the same selection, ordered by the key. */
async function ordered(flags: string[], where: string | null = null): Promise<string> {
  const sql = `SELECT * FROM ${TABLE}${where === null ? '' : ` WHERE (${where})`} ORDER BY id`;
  const result = await runCli(['export', server.url, '--query', sql, ...flags]);
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('--jobs N on a table with an integer key', () => {
  for (const flags of [['--lines'], [], ['--indent', '2'], ['--dialect', 'python', '--lines']]) {
    it(`writes the rows in key order, as one connection does (${flags.join(' ') || 'JSON'})`, async () => {
      const expected = await ordered(flags);
      for (const jobs of ['2', '3']) {
        const result = await runCli(['export', server.url, '--table', TABLE, '--jobs', jobs, ...flags]);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(expected);
      }
    });
  }

  it('applies --where to every range', async () => {
    const where = 'id % 2 = 0 AND note IS NOT NULL';
    const result = await runCli(['export', server.url, '--table', TABLE, '--jobs', '2', '--where', where, '--lines']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(await ordered(['--lines'], where));
  });

  it('fails on one line, exit 1, leaving no file, when a range fails on the server', async () => {
    const dir = tempDir('pg-jobs');
    try {
      const out = join(dir, 'out.jsonl');
      const result = await runCli(['export', server.url, '--table', TABLE, '--jobs', '2', '--where', '1 / (id - 90003) IS NOT NULL', '--lines', '-o', out]);
      expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: division by zero\n' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--jobs N where the selection cannot be split by key', () => {
  const cases: [string, string[], string][] = [
    ['a table without a primary key', ['--table', NO_KEY], `${NO_KEY} has no primary key of one column`],
    ['a text primary key', ['--table', TEXT_KEY], `the primary key of ${TEXT_KEY} is not an integer`],
    ['an empty table', ['--table', EMPTY], `${EMPTY} is empty`],
    ['a query', ['--query', `SELECT * FROM ${NO_KEY}`], 'a --query cannot be split by key'],
    ['--order-by', ['--table', TABLE, '--order-by', 'id DESC', '--limit', '1'], '--order-by decides the order, not the key'],
    ['--limit', ['--table', TABLE, '--limit', '1'], '--limit counts rows across the whole table'],
  ];
  for (const [name, selection, reason] of cases) {
    it(`runs one job for ${name}, and says why`, async () => {
      const one = await runCli(['export', server.url, ...selection, '--lines']);
      const result = await runCli(['export', server.url, ...selection, '--jobs', '2', '--verbose', '--lines']);
      expect(result).toMatchObject({ status: 0, stdout: one.stdout });
      expect(result.stderr).toContain(`jsondump: --jobs 2: one job used: ${reason}\n`);
    });
  }
});
