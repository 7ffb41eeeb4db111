// --canonical on each database source writes RFC 8785 text. For the values here (finite numbers
// within 2^53, well-formed strings) that is JSON.stringify's text of each row with its members
// sorted by key in UTF-16 code units: the oracle, fed with the rows as each database's own
// client reads them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { mysqlServer, type MysqlServer } from '../helpers/mysql-server.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_canonical_${process.pid}`;

/** The canonical text of rows whose values JSON.stringify writes as RFC 8785 does. */
function canonical(rows: Record<string, unknown>[]): string {
  const sorted = rows.map((row) => Object.fromEntries(Object.keys(row).sort().map((key) => [key, row[key]])));
  return JSON.stringify(sorted) + '\n';
}

let dir = '';
let pgs: PgServer;
let mys: MysqlServer;

beforeAll(() => {
  dir = tempDir('canonical');
  pgs = pgServer();
  mys = mysqlServer();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  pgs?.stop();
  mys?.stop();
});

describe('--canonical refuses an integer past 2^53 (RFC 8785 numbers are doubles), naming its row and column', () => {
  const QUERY = 'SELECT 1 AS id, 2 AS big UNION ALL SELECT 2, 9007199254740993';
  const MESSAGE = 'jsondump: row 2, column big: 9007199254740993 is past 2^53, which RFC 8785 (canonical) numbers cannot hold exactly';
  it('SQLite', async () => {
    const path = join(dir, 'big.db');
    new Database(path).close();
    const result = await runCli(['export', `sqlite:${path}`, '--query', QUERY, '--canonical']);
    expect(result.status).toBe(1);
    expect(result.stderr.startsWith(MESSAGE)).toBe(true);
  });
  it('PostgreSQL', async () => {
    const result = await runCli(['export', pgs.url, '--query', QUERY.replace(/9007199254740993/, '9007199254740993::int8'), '--canonical']);
    expect(result.status).toBe(1);
    expect(result.stderr.startsWith(MESSAGE)).toBe(true);
  });
  it('MySQL', async () => {
    const result = await runCli(['export', mys.url, '--query', QUERY, '--canonical']);
    expect(result.status).toBe(1);
    expect(result.stderr.startsWith(MESSAGE)).toBe(true);
  });
});

describe('--canonical refuses a decimal no double holds (RFC 8785 numbers are doubles), naming its row and column', () => {
  const QUERY = 'SELECT 1 AS id, CAST(1.50 AS DECIMAL(30, 23)) AS d UNION ALL SELECT 2, CAST(0.10000000000000000000001 AS DECIMAL(30, 23))';
  const MESSAGE = 'jsondump: row 2, column d: 0.10000000000000000000001 has no exact RFC 8785 (canonical) number: the nearest double is 0.1';
  it('PostgreSQL', async () => {
    const result = await runCli(['export', pgs.url, '--query', QUERY, '--canonical']);
    expect(result.stderr.startsWith(MESSAGE), result.stderr).toBe(true);
    expect(result.status).toBe(1);
  });
  it('MySQL', async () => {
    const result = await runCli(['export', mys.url, '--query', QUERY, '--canonical']);
    expect(result.stderr.startsWith(MESSAGE), result.stderr).toBe(true);
    expect(result.status).toBe(1);
  });
  it('writes a decimal a double holds as that double (1.50 as 1.5)', async () => {
    const result = await runCli(['export', pgs.url, '--query', 'SELECT CAST(1.50 AS DECIMAL(30, 23)) AS d', '--canonical']);
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: '[{"d":1.5}]\n' });
  });
});

describe('--canonical on a database source', () => {
  it('SQLite', async () => {
    const path = join(dir, 'c.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE t (z INTEGER, a REAL, "é" TEXT, "B" TEXT, "10" INTEGER);
      INSERT INTO t VALUES (3, 0.1, 'x', 'y', 1), (-7, 1e21, 'ü', '😀', NULL), (0, -2.5e-7, '', 'q"', 2)`);
    const rows = db.prepare('SELECT * FROM t').all() as Record<string, unknown>[];
    db.close();
    const result = await runCli(['export', `sqlite:${path}`, '--table', 't', '--canonical']);
    expect(result).toMatchObject({ status: 0, stderr: '', stdout: canonical(rows) });
  });

  it('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: pgs.url });
    await client.connect();
    try {
      await client.query(`CREATE TABLE ${TABLE} (z int4, a float8, "é" text, "B" text, "10" int4)`);
      await client.query(`INSERT INTO ${TABLE} VALUES (3, 0.1, 'x', 'y', 1), (-7, 1e21, 'ü', '😀', NULL), (0, -2.5e-7, '', 'q"', 2)`);
      const { rows } = await client.query(`SELECT * FROM ${TABLE} ORDER BY z DESC`);
      const result = await runCli(['export', pgs.url, '--query', `SELECT * FROM ${TABLE} ORDER BY z DESC`, '--canonical']);
      expect(result).toMatchObject({ status: 0, stderr: '', stdout: canonical(rows) });
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
      await client.end();
    }
  });

  it('MySQL', async () => {
    const client = await mysql.createConnection({ uri: mys.url });
    try {
      await client.query(`CREATE TABLE ${TABLE} (z INT, a DOUBLE, \`é\` TEXT, \`B\` TEXT, \`10\` INT)`);
      await client.query(`INSERT INTO ${TABLE} VALUES (3, 0.1, 'x', 'y', 1), (-7, 1e21, 'ü', '😀', NULL), (0, -2.5e-7, '', 'q"', 2)`);
      const [rows] = await client.query(`SELECT * FROM ${TABLE} ORDER BY z DESC`);
      const result = await runCli(['export', mys.url, '--query', `SELECT * FROM ${TABLE} ORDER BY z DESC`, '--canonical']);
      expect(result).toMatchObject({ status: 0, stderr: '', stdout: canonical(rows as Record<string, unknown>[]) });
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
      await client.end();
    }
  });
});
