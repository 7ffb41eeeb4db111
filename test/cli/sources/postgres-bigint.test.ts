// --bigint string applies to PostgreSQL's integers as to SQLite's and MySQL's: an int8 past
// 2^53 (in a column or an array) is written as a string of its digits, a smaller one stays a
// number, with one connection and with --jobs; --bigint number (the default) keeps every digit;
// --canonical refuses an int8 past 2^53 as it refuses such a bigint. numeric is not an integer
// type: it keeps its text. The oracle: the server's text of each value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { pgClosed, pgConnected, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_bigint_${process.pid}`;
const MAX_SAFE = 2n ** 53n - 1n;

let server: PgServer;
let client: pg.Client;

beforeAll(async () => {
  ({ server, client } = await pgConnected());
  await client.query(`CREATE TABLE ${TABLE} (id int8 PRIMARY KEY, big int8, small int4, arr int8[], n numeric)`);
  await client.query(`INSERT INTO ${TABLE} SELECT i,
      CASE i % 4 WHEN 0 THEN 9007199254740993 + i WHEN 1 THEN -9223372036854775808 + i WHEN 2 THEN 9007199254740991 ELSE i END,
      i, ARRAY[i, 9223372036854775807 - i, NULL], 9007199254740993 + i
    FROM generate_series(1, 10000) AS i`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await pgClosed(server, client);
});

/** An integer's JSON under --bigint `mode`, from the server's text of it. */
function integer(text: string, mode: 'number' | 'string'): string {
  const n = BigInt(text);
  return mode === 'string' && (n > MAX_SAFE || n < -MAX_SAFE) ? JSON.stringify(text) : text;
}

async function expectedLines(mode: 'number' | 'string'): Promise<string> {
  const { rows } = await client.query({ text: `SELECT id::text, big::text, small::text, arr::text, n::text FROM ${TABLE} AS t ORDER BY t.id`, rowMode: 'array' });
  return rows
    .map(([id, big, small, arr, n]: string[]) => {
      const items = arr.slice(1, -1).split(',').map((item) => (item === 'NULL' ? 'null' : integer(item, mode)));
      return `{"id":${integer(id, mode)},"big":${integer(big, mode)},"small":${small},"arr":[${items.join(',')}],"n":${n}}\n`;
    })
    .join('');
}

describe('PostgreSQL integers and --bigint', () => {
  for (const jobs of ['1', '2']) {
    it(`--bigint string writes int8 past 2^53 as strings (--jobs ${jobs})`, async () => {
      // one connection reads in no particular order without --order-by; --jobs reads in key order
      const order = jobs === '1' ? ['--order-by', 'id'] : ['--jobs', jobs];
      const result = await runCli(['export', server.url, '--table', TABLE, '--lines', '--bigint', 'string', ...order]);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toBe(await expectedLines('string'));
    });
  }

  it('--bigint number keeps every digit, re-encoded or not', async () => {
    const expected = await expectedLines('number');
    for (const flags of [[], ['--escape-html']]) {
      const result = await runCli(['export', server.url, '--query', `SELECT * FROM ${TABLE} ORDER BY id`, '--lines', ...flags]);
      expect(result).toMatchObject({ status: 0, stderr: '', stdout: expected });
    }
  });

  it('an int8 behind a domain or inside a composite type too', async () => {
    const domain = `jsondump_idom_${process.pid}`;
    const pair = `jsondump_ipair_${process.pid}`;
    await client.query(`CREATE DOMAIN ${domain} AS int8`);
    await client.query(`CREATE TYPE ${pair} AS (a int8, b ${domain}[])`);
    try {
      const query = `SELECT 9007199254740993::${domain} AS d, ROW(-9007199254740993, ARRAY[1, 9223372036854775807])::${pair} AS p`;
      const result = await runCli(['export', server.url, '--query', query, '--lines', '--bigint', 'string']);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toBe(`{"d":${integer('9007199254740993', 'string')},"p":{"a":${integer('-9007199254740993', 'string')},"b":[1,${integer('9223372036854775807', 'string')}]}}\n`);
    } finally {
      await client.query(`DROP TYPE IF EXISTS ${pair}`);
      await client.query(`DROP DOMAIN IF EXISTS ${domain}`);
    }
  });

  it('--canonical refuses an int8 past 2^53, naming the row', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT id, big FROM ${TABLE} ORDER BY id`, '--canonical']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^jsondump: row 1, column big: -9223372036854775807 is past 2\^53, which RFC 8785 \(canonical\) numbers cannot hold exactly/);
  });
});
