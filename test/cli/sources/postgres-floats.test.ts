// A PostgreSQL float8 or float4 is a number, written as the dialect writes numbers: in the js
// dialect as JSON.stringify writes the double the server holds (NaN and ±Infinity as null, -0
// as 0, 1e-7 not 1e-07), whatever the layout, with --jobs too and in arrays; --no-allow-nan
// refuses NaN and ±Infinity naming the row. numeric keeps its exact text, NaN included.
// The oracle: JSON.stringify of the number the server's own text reads as.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { pythonRows } from '../helpers/python-json.js';

const TABLE = `jsondump_floats_${process.pid}`;
const RANDOM = `jsondump_floats_random_${process.pid}`;

const FLOAT8 = [
  '0.1', '-0', '1.2345678901234568e+17', '1e-07', '1e-05', '1.5e-07', '1e+15', '1000000000000000.5', '1e+20', '1e+21',
  '1e+22', '5e-324', '1.7976931348623157e+308', '123456789012345', '0.0001', '9.999999999999999e-05', '-1e-07', '0.3333333333333333',
  '-2.5e-300', '4.35e-06', 'NaN', 'Infinity', '-Infinity',
];
const FLOAT4 = ['1.1', '1234567', '1e-05', '16777216', '3.4e+38', '-0', '0.3', '1e-40', 'NaN', 'Infinity', '-Infinity', '12.5', '1e+06', '999999'];

let server: PgServer;
let client: pg.Client;

/** Doubles of every magnitude (subnormals too) from random bits, a fixed seed. */
function randomDoubles(count: number): number[] {
  let seed = 20250101;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const view = new DataView(new ArrayBuffer(8));
  const doubles: number[] = [];
  while (doubles.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const d = view.getFloat64(0);
    if (Number.isFinite(d)) doubles.push(d);
  }
  return doubles;
}

beforeAll(async () => {
  server = pgServer();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE TABLE ${TABLE} (id int4 PRIMARY KEY, f8 float8, f4 float4, n numeric, a8 float8[], a4 float4[])`);
  const rows = Math.max(FLOAT8.length, FLOAT4.length);
  for (let i = 0; i < rows; i++) {
    await client.query(`INSERT INTO ${TABLE} VALUES ($1, $2, $3, $4, $5, $6)`, [i + 1, FLOAT8[i] ?? null, FLOAT4[i] ?? null, i === 0 ? 'NaN' : '2.50', i % 5 === 0 ? null : [FLOAT8[i] ?? '1', 'NaN', '-0', '1e-07'], [FLOAT4[i] ?? '1', '-Infinity']]);
  }
  await client.query(`CREATE TABLE ${RANDOM} (id int4 PRIMARY KEY, d float8, f float4)`);
  const doubles = randomDoubles(10000).map(String);
  await client.query(`INSERT INTO ${RANDOM} SELECT n, d::float8, CASE WHEN abs(d::float8) BETWEEN 1e-38 AND 3e38 THEN d::float8::float4 END FROM unnest($1::text[]) WITH ORDINALITY AS u(d, n)`, [doubles]);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}, ${RANDOM}`).catch(() => {});
  await client?.end();
  server?.stop();
});

/** The rows as the server's text reads: float columns as JSON numbers of that text (arrays too), numeric as its digits. */
async function expectedRows(table: string, floats: string[], arrays: string[] = []): Promise<Record<string, unknown>[]> {
  const { rows } = await client.query({ text: `SELECT * FROM ${table} ORDER BY id`, types: { getTypeParser: () => (text: string) => text } });
  const number = (text: string | null) => (text === null ? null : Number(text));
  return rows.map((row: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...row, id: Number(row.id) };
    for (const name of floats) out[name] = number(row[name] as string | null);
    for (const name of arrays) out[name] = row[name] === null ? null : (row[name] as string).slice(1, -1).split(',').map(number);
    return out;
  });
}

async function exported(flags: string[]): Promise<string> {
  const result = await runCli(['export', server.url, ...flags]);
  expect(result).toMatchObject({ status: 0, stderr: '' });
  return result.stdout;
}

describe('PostgreSQL float8 and float4 in the js dialect', () => {
  it('every magnitude, as JSON.stringify writes the double, in lines, an array and indented', async () => {
    const rows = await expectedRows(RANDOM, ['d', 'f']);
    const query = ['--query', `SELECT * FROM ${RANDOM} ORDER BY id`];
    expect(await exported([...query, '--lines'])).toBe(rows.map((row) => JSON.stringify(row) + '\n').join(''));
    expect(await exported(query)).toBe(JSON.stringify(rows) + '\n');
    expect(await exported([...query, '--indent', '2'])).toBe(JSON.stringify(rows, null, 2) + '\n');
  });

  it('the edges: -0, NaN and ±Infinity (null), the notation switches, subnormals, arrays', async () => {
    const rows = (await expectedRows(TABLE, ['f8', 'f4'], ['a8', 'a4'])).map((row) => ({ ...row, n: row.n === 'NaN' ? 'NaN' : 2.5 }));
    const lines = rows.map((row) => JSON.stringify(row).replace('"n":2.5', '"n":2.50') + '\n').join('');
    expect(await exported(['--table', TABLE, '--lines', '--order-by', 'id'])).toBe(lines);
    expect(await exported(['--table', TABLE, '--lines', '--jobs', '2'])).toBe(lines);
    expect(await exported(['--table', TABLE, '--lines', '--order-by', 'id', '--escape-html'])).toBe(lines);
  });

  it('inside a composite type, behind a domain, in an array of composites, the same', async () => {
    const domain = `jsondump_fdom_${process.pid}`;
    const pair = `jsondump_fpair_${process.pid}`;
    await client.query(`CREATE DOMAIN ${domain} AS float8`);
    await client.query(`CREATE TYPE ${pair} AS (x float8, y ${domain}, z float4[], w text)`);
    try {
      const values = `SELECT '-0'::${domain} AS d, ROW('1e-07', 'NaN', '{1e+20,-Infinity}', 'a')::${pair} AS p,
        ARRAY[ROW('1e+15', '-0', NULL, NULL)::${pair}] AS ps`;
      const expected = { d: 0, p: { x: 1e-7, y: null, z: [1e20, null], w: 'a' }, ps: [{ x: 1e15, y: 0, z: null, w: null }] };
      expect(await exported(['--query', values, '--lines'])).toBe(JSON.stringify(expected) + '\n');
      const f = (text: string) => ({ float: text });
      const [python] = pythonRows([[
        ['d', f('-0')],
        ['p', { object: [['x', f('1e-07')], ['y', f('NaN')], ['z', [f('1e+20'), f('-Infinity')]], ['w', 'a']] }],
        ['ps', [{ object: [['x', f('1e+15')], ['y', f('-0')], ['z', null], ['w', null]] }]],
      ]]);
      expect(await exported(['--query', values, '--lines', '--dialect', 'python'])).toBe(python + '\n');
    } finally {
      await client.query(`DROP TYPE IF EXISTS ${pair}`);
      await client.query(`DROP DOMAIN IF EXISTS ${domain}`);
    }
  });

  it('--no-allow-nan refuses NaN, naming the row and column', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT id, f8 FROM ${TABLE} ORDER BY id`, '--no-allow-nan', '--lines']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`jsondump: row ${FLOAT8.indexOf('NaN') + 1}, column f8: NaN is not allowed (--no-allow-nan)\n`);
  });

  it('numeric NaN stays the string "NaN": numeric keeps its exact text', async () => {
    const result = await exported(['--query', `SELECT n FROM ${TABLE} WHERE id <= 2 ORDER BY id`, '--lines']);
    expect(result).toBe('{"n":"NaN"}\n{"n":2.50}\n');
  });
});
