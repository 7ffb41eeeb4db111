// How --param values are typed. SQLite compares an integer with a text as unequal, so a number
// bound as TEXT silently filters rows out: a value that reads as a number (a JSON number: no
// leading zero, no '+', no bare '.') is bound as one, the way the sqlite3 shell's `.param set`
// binds it, and --param-text binds its value as text whatever it looks like. PostgreSQL types
// each parameter from the query and MySQL converts: a numeric comparison, a LIKE and a date
// (with and without a time, so with a colon) select what the same SQL with literals selects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { mysqlServer, type MysqlServer } from '../helpers/mysql-server.js';
import { pgClosed, pgConnected, type PgServer } from '../helpers/pg-server.js';

let dir = '';
let db = '';

beforeAll(() => {
  dir = tempDir('param-types');
  db = join(dir, 'p.db');
  const d = new Database(db);
  d.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, mixed, at TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
    INSERT INTO users (name, mixed, at) SELECT substr('abcdefghij', 1, 1 + i % 10),
      CASE i % 3 WHEN 0 THEN 3 WHEN 1 THEN '3' ELSE 3.5 END, printf('2026-01-%02d 10:%02d', 1 + i % 28, i % 60) FROM n`);
  d.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the sqlite3 shell prints for `sql` after `.param set` of each binding (its own typing). */
function sqlite3(sql: string, bindings: [string, string][]): string {
  const script = [...bindings.map(([name, value]) => `.param set ${name} "${value}"`), sql + ';'].join('\n');
  return execFileSync('sqlite3', ['-readonly', db], { input: script, encoding: 'utf8' }).trim();
}

async function exportLines(...flags: string[]): Promise<string[]> {
  const result = await runCli(['export', `sqlite:${db}`, '--lines', ...flags]);
  expect(result).toMatchObject({ status: 0, stderr: '' });
  return result.stdout.split('\n').slice(0, -1);
}

const TYPED = "SELECT typeof(p) AS t, CASE typeof(p) WHEN 'real' THEN printf('%!.17g', p) ELSE CAST(p AS TEXT) END AS v FROM (SELECT ? AS p)";

async function typedAs(flag: string, value: string): Promise<string> {
  const [line] = await exportLines('--query', TYPED, flag, value);
  const { t, v } = JSON.parse(line) as { t: string; v: string };
  return `${t}|${v}`;
}

describe('SQLite', () => {
  it('--where with a number finds what sqlite3 finds: length(name) > 5, an untyped column', async () => {
    for (const [where, value] of [['length(name) > ?', '5'], ['mixed = ?', '3'], ['mixed = ?', '3.5'], ['id > ?', '190']]) {
      const expected = sqlite3(`SELECT count(*) FROM users WHERE ${where}`, [['?1', value]]);
      expect(Number(expected)).toBeGreaterThan(0);
      expect((await exportLines('--table', 'users', '--columns', 'id', '--where', where, '--param', value)).length).toBe(Number(expected));
    }
  });

  it('binds what reads as a number as sqlite3 binds it: integers exactly (64-bit past 2^53), beyond as REAL, decimals as REAL', async () => {
    const numbers = ['5', '-3', '0', '-0', '9007199254740993', '-9223372036854775808', '9223372036854775807', '9223372036854775808', '2.5', '-0.0', '1e5', '-1.5E-3', '0.30000000000000004'];
    for (const value of numbers) expect(await typedAs('--param', value)).toBe(sqlite3(TYPED, [['?1', value]]));
  });

  it('binds anything else as text, colons and all', async () => {
    const texts = ['abc', '007', '+5', '.5', '5.', ' 5', '0x10', 'NaN', 'Infinity', '2026-01-01', '2026-01-01 10:00', 'http://example.com:8080/a', '1:2', ''];
    for (const value of texts) expect(await typedAs('--param', value)).toBe(sqlite3(TYPED, [['?1', `'${value}'`]]));
  });

  it('--param-text binds a number as text, by position or by name, in order with --param', async () => {
    expect(await typedAs('--param-text', '5')).toBe(sqlite3(TYPED, [['?1', "'5'"]]));
    const sql = 'SELECT typeof(?) AS a, typeof(?) AS b, typeof(:c) AS c, typeof(?) AS d';
    const [line] = await exportLines('--query', sql, '--param', '1', '--param-text', '2', '--param-text', 'c=3', '--param', '4');
    expect(line).toBe('{"a":"integer","b":"text","c":"text","d":"integer"}');
  });

  it('types named parameters the same way', async () => {
    const [line] = await exportLines('--query', 'SELECT typeof(:n) AS n, typeof(:s) AS s, typeof(:d) AS d', '--param', 'n=5', '--param', 's=05', '--param', 'd=2026-01-01 10:00');
    expect(line).toBe('{"n":"integer","s":"text","d":"text"}');
  });

  it('compares a text column with a date and time, colon included', async () => {
    const expected = sqlite3('SELECT count(*) FROM users WHERE at >= ?', [['?1', "'2026-01-20 10:30'"]]);
    expect((await exportLines('--table', 'users', '--where', 'at >= ?', '--param', '2026-01-20 10:30')).length).toBe(Number(expected));
  });
});

describe('PostgreSQL infers each parameter from the query', () => {
  const TABLE = `jsondump_params_${process.pid}`;
  let server: PgServer;
  let client: pg.Client;

  beforeAll(async () => {
    ({ server, client } = await pgConnected());
    await client.query(`CREATE TABLE ${TABLE} (id int8 PRIMARY KEY, name text, day date, at timestamp)`);
    await client.query(`INSERT INTO ${TABLE} SELECT i, substr('abcdefghij', 1, 1 + i % 10), date '2026-01-01' + i % 28, timestamp '2026-01-01 00:00' + i * interval '7 minutes' FROM generate_series(1, 200) AS i`);
  });

  afterAll(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await pgClosed(server, client);
  });

  const cases: [string, string, string][] = [
    ['length(name) > $1', '5', 'length(name) > 5'],
    ['id > $1', '150', 'id > 150'],
    ['name LIKE $1', 'abc%', "name LIKE 'abc%'"],
    ['day >= $1', '2026-01-20', "day >= date '2026-01-20'"],
    ['at >= $1', '2026-01-01 10:30', "at >= timestamp '2026-01-01 10:30'"],
  ];
  for (const [where, value, literal] of cases) {
    it(`${where} with --param ${value}`, async () => {
      const { rows } = await client.query(`SELECT id FROM ${TABLE} WHERE ${literal} ORDER BY id`);
      expect(rows.length).toBeGreaterThan(0);
      const result = await runCli(['export', server.url, '--table', TABLE, '--columns', 'id', '--where', where, '--param', value, '--order-by', 'id', '--lines']);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toBe(rows.map((row) => `{"id":${row.id}}\n`).join(''));
    });
  }
});

describe('MySQL converts each parameter as the comparison needs', () => {
  const TABLE = `jsondump_params_${process.pid}`;
  let server: MysqlServer;
  let client: mysql.Connection;

  beforeAll(async () => {
    server = mysqlServer();
    client = await mysql.createConnection({ uri: server.url, supportBigNumbers: true, bigNumberStrings: true });
    await client.query(`CREATE TABLE ${TABLE} (id BIGINT PRIMARY KEY, name TEXT, day DATE, at DATETIME)`);
    await client.query(`INSERT INTO ${TABLE} SELECT seq, SUBSTR('abcdefghij', 1, 1 + seq % 10), '2026-01-01' + INTERVAL seq % 28 DAY, '2026-01-01' + INTERVAL seq * 7 MINUTE FROM seq_1_to_200`);
  });

  afterAll(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await client?.end();
    server?.stop();
  });

  const cases: [string, string, string][] = [
    ['length(name) > ?', '5', 'length(name) > 5'],
    ['id > ?', '150', 'id > 150'],
    ['name LIKE ?', 'abc%', "name LIKE 'abc%'"],
    ['day >= ?', '2026-01-20', "day >= DATE '2026-01-20'"],
    ['at >= ?', '2026-01-01 10:30', "at >= TIMESTAMP '2026-01-01 10:30:00'"],
  ];
  for (const [where, value, literal] of cases) {
    it(`${where} with --param ${value}`, async () => {
      const [rows] = await client.query(`SELECT id FROM ${TABLE} WHERE ${literal} ORDER BY id`);
      const ids = (rows as { id: string }[]).map((row) => `{"id":${row.id}}\n`).join('');
      expect(ids).not.toBe('');
      const result = await runCli(['export', server.url, '--table', TABLE, '--columns', 'id', '--where', where, '--param', value, '--order-by', 'id', '--lines']);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toBe(ids);
    });
  }
});
