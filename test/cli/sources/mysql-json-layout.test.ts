// A MariaDB JSON column is embedded as the text the server holds, laid out as the output asks:
// in the compact layout it is the server's JSON_COMPACT of it (a repeated key repeated, every
// number's text kept: 1.50, 1e400, -0, 20 digits), strings written as JSON.stringify writes them,
// and indented at the value's depth as JSON.stringify indents it. With --sort-keys the value is
// parsed (its members sorted, a repeated key once: its last value, as JSON.parse keeps it), and a
// document that is JSON's null stays null (not the string "null").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2';
import { runCli } from '../helpers/cli.js';
import { mysqlServer, type MysqlServer } from '../helpers/mysql-server.js';

const TABLE = `jsondump_json_layout_${process.pid}`;
const ROWS = 300;

let server: MysqlServer;
let client: mysql.Connection;

function sql(text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => client.query(text, values, (error, rows) => (error ? reject(error) : resolve(rows as Record<string, unknown>[]))));
}

const ALPHABET = ['a', 'é', '東', '😀', ' ', ', ', ': ', '"', '\\', '\n', '\t', '\u0001', '\u2028', '/', '<'];

/** A nested value of strings, integers, literals, arrays and objects. */
function randomValue(next: () => number, depth: number): unknown {
  const text = () => Array.from({ length: Math.floor(next() * 6) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
  switch (Math.floor(next() * (depth > 3 ? 3 : 5))) {
    case 0:
      return text();
    case 1:
      return Math.floor((next() - 0.5) * 2 ** 52);
    case 2:
      return [true, false, null][Math.floor(next() * 3)];
    case 3:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [text(), randomValue(next, depth + 1)]));
  }
}

/** Stored texts with white space the application left in, a repeated key, numbers JSON.parse would change, JSON's null. */
const LITERAL = ['{"a": 1, "a" : [1.50, 1e400, -0, 12345678901234567890, 0.1e-2]}', '[ ]', '{}', '"just a string"', '  7  ', '{"k":{"k":{"k":[[], {}, [null]]}}}', '{"b": 1, "a": {"d": 0, "c": [2]}, "b": 3}', 'null'];

let docs: string[];

beforeAll(async () => {
  server = mysqlServer();
  client = mysql.createConnection({ uri: server.url, charset: 'UTF8MB4_UNICODE_CI', jsonStrings: true }); // the server's text of JSON values
  let seed = 5;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  docs = [...LITERAL, ...Array.from({ length: ROWS - LITERAL.length }, (_, i) => JSON.stringify(randomValue(next, 0), null, i % 2 === 0 ? 1 : undefined))];
  await sql(`CREATE TABLE ${TABLE} (id INT PRIMARY KEY, j JSON) CHARACTER SET utf8mb4`);
  await sql(`INSERT INTO ${TABLE} VALUES ${docs.map(() => '(?, ?)').join(', ')}`, docs.flatMap((doc, i) => [i + 1, doc]));
});

afterAll(async () => {
  await sql(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  client?.end();
  server?.stop();
});

/** Each line's `j` text (the lines are {"id":N,"j":…}). */
function jTexts(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line !== '').map((line) => line.slice(line.indexOf(',"j":') + 5, -1));
}

describe('MariaDB JSON columns', () => {
  it('in the compact layout are the server’s JSON_COMPACT, strings as JSON.stringify writes them', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT id, j FROM ${TABLE} ORDER BY id`, '--lines']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const got = jTexts(result.stdout);
    const rows = await sql(`SELECT JSON_COMPACT(j) AS c, j FROM ${TABLE} ORDER BY id`);
    expect(got.length).toBe(ROWS);
    for (let i = 0; i < ROWS; i++) {
      const server = String(rows[i].c);
      // without a backslash the server's compact text is already JSON.stringify's; with one, its
      // escapes are the stored ones: the parsed value (integers only) written by JSON.stringify
      const expected = server.includes('\\') ? JSON.stringify(JSON.parse(String(rows[i].j))) : server;
      if (got[i] !== expected) expect({ row: i + 1, got: got[i] }).toEqual({ row: i + 1, got: expected });
    }
  });

  it('indented are placed at their depth as JSON.stringify indents them', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT id, j FROM ${TABLE} WHERE id > ${LITERAL.length} ORDER BY id`, '--indent', '2']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const expected = JSON.stringify(docs.slice(LITERAL.length).map((doc, i) => ({ id: LITERAL.length + i + 1, j: JSON.parse(doc) })), null, 2) + '\n';
    expect(result.stdout === expected).toBe(true);
  });

  it('with --sort-keys are parsed: members sorted, a repeated key once with its last value, null as null', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT j FROM ${TABLE} WHERE id IN (7, 8) ORDER BY id`, '--lines', '--sort-keys']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const sorted = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
    expect(result.stdout).toBe([LITERAL[6], LITERAL[7]].map((doc) => JSON.stringify({ j: sorted(JSON.parse(doc)) }) + '\n').join(''));
  });
});
