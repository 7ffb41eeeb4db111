// In the python dialect a floating-point column (SQLite REAL, MySQL FLOAT and DOUBLE, PostgreSQL
// float4 and float8) is a Python float: 1.0 stays `1.0`, -0.0 `-0.0`, 1e16 `1e+16`, and
// non-finite values are NaN/Infinity, as Python's json.dumps writes what its drivers read (a
// float of the server's text). Integer columns stay ints. Oracles: Python's own sqlite3 module;
// for the servers, float() of the server's text (what PyMySQL and psycopg do) through json.dumps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { mysqlServer, type MysqlServer } from '../helpers/mysql-server.js';
import { pgClosed, pgConnected, type PgServer } from '../helpers/pg-server.js';
import { pythonRows, pythonSqlite, type ServerValue } from '../helpers/python-json.js';

const TABLE = `jsondump_pyfloat_${process.pid}`;

/** Rows of server text (every value selected ::text / AS CHAR) as Python's drivers convert them. */
function serverRows(rows: Record<string, string | null>[], floats: ReadonlySet<string>): [string, ServerValue][][] {
  return rows.map((row) =>
    Object.entries(row).map(([name, v]): [string, ServerValue] => [name, v === null ? null : floats.has(name) ? { float: v } : { int: v }]),
  );
}

async function pythonExport(source: string, ...flags: string[]): Promise<string[]> {
  const result = await runCli(['export', source, '--dialect', 'python', '--lines', ...flags]);
  expect(result).toMatchObject({ status: 0, stderr: '' });
  return result.stdout.split('\n').slice(0, -1);
}

describe('SQLite REAL', () => {
  let dir = '';
  let db = '';

  beforeAll(() => {
    dir = tempDir('python-floats');
    db = join(dir, 'f.db');
    const d = new Database(db);
    d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, r REAL, n INTEGER);
      WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 12000)
      INSERT INTO t SELECT i, CASE i % 6 WHEN 0 THEN i WHEN 1 THEN i / 7.0 WHEN 2 THEN -i * 1e15 WHEN 3 THEN i * 1e-9 WHEN 4 THEN 1e16 + i * 2 ELSE -0.0 END, i FROM s`);
    d.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a query: each REAL as Python writes the float', async () => {
    const query = `SELECT 1.0 AS r, -0.0 AS nz, 0.1 AS a, 1e16 AS b, 1e-5 AS c, 123456789.0 AS d, 2.5e-7 AS e, 1e22 AS f,
      9007199254740993.0 AS g, -1.5 AS h, 5e-324 AS i, 1e999 AS inf, -1e999 AS ninf, 1 AS int, 9007199254740993 AS big, 'x' AS s, NULL AS z`;
    expect(await pythonExport(`sqlite:${db}`, '--query', query)).toEqual(pythonSqlite(db, query));
  });

  for (const jobs of ['1', '2']) {
    it(`a table with --jobs ${jobs}`, async () => {
      expect(await pythonExport(`sqlite:${db}`, '--table', 't', '--jobs', jobs)).toEqual(pythonSqlite(db, 'SELECT * FROM t ORDER BY id'));
    });
  }

  it('indented, in an array', async () => {
    const query = 'SELECT r FROM t WHERE id < 13';
    const result = await runCli(['export', `sqlite:${db}`, '--query', query, '--dialect', 'python', '--indent', '2']);
    expect(result.stdout).toBe(pythonSqlite(db, query, { indent: 2 }, true).join('\n') + '\n');
  });
});

describe('MySQL FLOAT and DOUBLE', () => {
  let server: MysqlServer;
  let client: mysql.Connection;

  beforeAll(async () => {
    server = mysqlServer();
    client = await mysql.createConnection({ uri: server.url });
    await client.query(`CREATE TABLE ${TABLE} (id INT PRIMARY KEY, f FLOAT, d DOUBLE, n INT)`);
    await client.query(`INSERT INTO ${TABLE} VALUES (1, 1, 1, 1), (2, 1.1, 0.1, 2), (3, -2.5, 1e16, 3), (4, 1e-5, 1e-5, 4),
      (5, 123456, 123456789, 5), (6, 3.4e38, 1.7976931348623157e308, 6), (7, NULL, 2.5e-7, NULL), (8, 0.3, 9007199254740993, 8)`);
  });

  afterAll(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await client?.end();
    server?.stop();
  });

  it('each as Python writes the float of the server text', async () => {
    // The server's text of each value, as a Python driver reads it. (MariaDB prints a FLOAT with
    // 6 significant digits, 16777200 for 16777216; jsondump writes the float's own shortest
    // digits, so the FLOATs here have at most 6.)
    const [rows] = await client.query({ sql: `SELECT CAST(id AS CHAR) AS id, CAST(f AS CHAR) AS f, CAST(d AS CHAR) AS d, CAST(n AS CHAR) AS n FROM ${TABLE} AS t ORDER BY t.id` });
    const expected = pythonRows(serverRows(rows as Record<string, string | null>[], new Set(['f', 'd'])));
    expect(await pythonExport(server.url, '--query', `SELECT * FROM ${TABLE} ORDER BY id`)).toEqual(expected);
  });
});

describe('PostgreSQL float4 and float8', () => {
  let server: PgServer;
  let client: pg.Client;

  beforeAll(async () => {
    ({ server, client } = await pgConnected());
    await client.query(`CREATE TABLE ${TABLE} (id int4 PRIMARY KEY, f4 float4, f8 float8, n int8)`);
    await client.query(`INSERT INTO ${TABLE} VALUES (1, 1, 1, 1), (2, 1.1, 0.1, 2), (3, '-0', '-0', 3), (4, 1e-5, 1e-5, 4),
      (5, 1234567, 1.2345678901234568e+17, 5), (6, 'NaN', 'NaN', 6), (7, 'Infinity', '-Infinity', 7), (8, NULL, 1e-7, NULL),
      (9, 16777216, 1e16, 9007199254740993)`);
  });

  afterAll(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await pgClosed(server, client);
  });

  it('each as Python writes the float of the server text, NaN and Infinity too', async () => {
    const { rows } = await client.query(`SELECT id::text AS id, f4::text AS f4, f8::text AS f8, n::text AS n FROM ${TABLE} AS t ORDER BY t.id`);
    const expected = pythonRows(serverRows(rows, new Set(['f4', 'f8'])));
    expect(expected[5]).toBe('{"id": 6, "f4": NaN, "f8": NaN, "n": 6}');
    expect(await pythonExport(server.url, '--query', `SELECT * FROM ${TABLE} ORDER BY id`)).toEqual(expected);
  });
});
