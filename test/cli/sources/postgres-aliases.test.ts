// The SQL jsondump wraps around a PostgreSQL selection names its own tables and columns; a user
// column of any of those names (r, s, u, x, n …, plain or composite, bytea and bytea[] too) is
// exported as the column it is, by every path: the server's own text, re-encoded, --arrays,
// --blob, --jobs over a key of such a name. The oracle: the server's row_to_json of the row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { exactValues } from '../helpers/db-helpers.js';
import { pgClosed, pgConnected, type PgServer } from '../helpers/pg-server.js';

const SUFFIX = process.pid;
const TABLE = `jsondump_alias_${SUFFIX}`;
const PAIR = `jsondump_pair_${SUFFIX}`;
// every name the generated SQL of the PostgreSQL source, its key ranges and its checks uses
const NAMES = ['s', 'u', 'x', 'n', 't', 'id', 'min', 'max', 'type', 'attname', 'jsondump_check'];

let server: PgServer;
let client: pg.Client;

beforeAll(async () => {
  ({ server, client } = await pgConnected());
  await client.query(`CREATE TYPE ${PAIR} AS (r int, s text)`);
  const columns = NAMES.map((name) => `"${name}" int4`).join(', ');
  await client.query(`CREATE TABLE ${TABLE} (r int8 PRIMARY KEY, g ${PAIR}, "R" ${PAIR}, b bytea, ${columns}, ba bytea[])`);
  await client.query(`INSERT INTO ${TABLE} SELECT i, ROW(i * 2, 'g' || i)::${PAIR}, ROW(-i, NULL)::${PAIR}, int4send(i),
      ${NAMES.map((_, k) => `i + ${k}`).join(', ')}, ARRAY[int4send(i), NULL] FROM generate_series(1, 3000) AS i`);
  // a composite column named r, and one named s: the names of the wrapping query's own tables
  await client.query(`CREATE TABLE ${TABLE}_c (id int4 PRIMARY KEY, r ${PAIR}, s ${PAIR}, u bytea[])`);
  await client.query(`INSERT INTO ${TABLE}_c VALUES (1, ROW(1, 'a'), ROW(2, 'b'), ARRAY['\\x00ff'::bytea]), (2, NULL, ROW(NULL, NULL), NULL)`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}, ${TABLE}_c`).catch(() => {});
  await client?.query(`DROP TYPE IF EXISTS ${PAIR}`).catch(() => {});
  await pgClosed(server, client);
});

/** The server's row_to_json of each row, in key order, bytea columns as --blob base64 writes them. */
async function serverRows(table: string, key: string): Promise<unknown[]> {
  const blobs = table === TABLE ? ['b', 'ba'] : ['u'];
  const replaced = blobs
    .map((name) => (name === 'b' ? `translate(encode(t.b, 'base64'), E'\\n', '') AS b` : `(SELECT array_agg(translate(encode(e, 'base64'), E'\\n', '') ORDER BY k) FROM unnest(t."${name}") WITH ORDINALITY AS z(e, k)) AS "${name}"`));
  const { rows } = await client.query({
    text: `SELECT row_to_json(q)::text FROM (SELECT t.*, ${replaced.join(', ')} FROM ${table} AS t ORDER BY t."${key}") AS q`,
    rowMode: 'array',
  });
  // a bytea column is in q twice, its --blob text last: the last member of a name wins
  const values = (await exactValues(rows.map((row: string[]) => row[0]).join('\n'))) as Record<string, unknown>[];
  const { fields } = await client.query(`SELECT * FROM ${table} LIMIT 0`);
  return values.map((row) => Object.fromEntries(fields.map((f) => [f.name, row[f.name]])));
}

async function exportedRows(flags: string[]): Promise<unknown[]> {
  const result = await runCli(['export', server.url, '--lines', ...flags]);
  expect(result).toMatchObject({ status: 0, stderr: '' });
  return exactValues(result.stdout);
}

describe('columns named like the generated SQL\'s own names', () => {
  it('a plain column r and the rest: as the server writes them, by every path', async () => {
    const expected = await serverRows(TABLE, 'r');
    expect(expected.length).toBe(3000);
    expect(await exportedRows(['--table', TABLE, '--order-by', 'r'])).toEqual(expected);
    expect(await exportedRows(['--table', TABLE, '--order-by', 'r', '--sort-keys'])).toEqual(expected);
    expect(await exportedRows(['--table', TABLE, '--jobs', '2'])).toEqual(expected);
    expect(await exportedRows(['--table', TABLE, '--where', 'r > $1', '--param', '0', '--order-by', 'r'])).toEqual(expected);
    expect(await exportedRows(['--query', `SELECT * FROM ${TABLE} ORDER BY r`])).toEqual(expected);
  });

  it('--arrays: the same values, in column order', async () => {
    const expected = (await serverRows(TABLE, 'r')) as Record<string, unknown>[];
    const [header, ...rows] = await exportedRows(['--table', TABLE, '--order-by', 'r', '--arrays']);
    expect(header).toEqual(Object.keys(expected[0]));
    expect(rows).toEqual(expected.map((row) => Object.values(row)));
  });

  it('composite columns r and s, a bytea[] named u', async () => {
    const expected = await serverRows(`${TABLE}_c`, 'id');
    expect(await exportedRows(['--table', `${TABLE}_c`, '--order-by', 'id'])).toEqual(expected);
    expect(await exportedRows(['--table', `${TABLE}_c`, '--order-by', 'id', '--escape-html'])).toEqual(expected);
    expect(await exportedRows(['--table', `${TABLE}_c`, '--jobs', '2'])).toEqual(expected);
  });
});
