// float8 and float4 sent as the server's text and written in the dialect's notation: the digits
// are the server's (its shortest), only where the exponent starts and how it is written change.
// On about 60,000 doubles — random bits of every magnitude, subnormals, the neighbours of every
// power of ten (1e23, which PostgreSQL writes 9.999999999999999e+22), the values around each
// notation switch (1e-7, 1e-6, 1e-5, 1e-4, 1e15, 1e16, 1e21), exact dyadic values (rounding
// ties), random decimals of 1 to 17 digits at every exponent — each value equals, in the js
// dialect, JSON.stringify of the number the server's text reads as, and in the python dialect
// what Python's json.dumps writes for float() of that text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { pythonRows } from '../helpers/python-json.js';

const TABLE = `jsondump_float_text_${process.pid}`;

let server: PgServer;
let client: pg.Client;

function doubles(): number[] {
  let seed = 4242;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const view = new DataView(new ArrayBuffer(8));
  const values: number[] = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1 + 0.2];
  const around = (x: number) => {
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    for (const delta of [-2n, -1n, 0n, 1n, 2n]) {
      view.setBigUint64(0, bits + delta);
      const d = view.getFloat64(0);
      if (Number.isFinite(d)) values.push(d, -d);
    }
  };
  for (let e = -323; e <= 308; e++) around(Number(`1e${e}`));
  for (const edge of [1e-7, 1e-6, 1e-5, 1e-4, 1e15, 1e16, 1e17, 1e20, 1e21, 1e22]) {
    for (const m of [1, 1.5, 9.999999999999999, 9.5, 1.0000000000000002, 1.2345678901234567]) around(edge * m);
  }
  while (values.length < 30000) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const d = view.getFloat64(0);
    if (Number.isFinite(d)) values.push(d);
  }
  // exact dyadic values, whose decimal expansion ends in 5: where a rounding tie can happen
  while (values.length < 40000) {
    const m = next() * 2 ** 21 + (next() >>> 11);
    values.push(m / 2 ** (next() % 64), m * 2 ** (next() % 40));
  }
  while (values.length < 60000) {
    const digits = 1 + (next() % 17);
    let mantissa = '';
    for (let k = 0; k < digits; k++) mantissa += String(next() % 10);
    const d = Number(`${next() % 2 === 0 ? '-' : ''}0.${mantissa}e${(next() % 660) - 330}`);
    if (Number.isFinite(d)) values.push(d);
  }
  return values;
}

beforeAll(async () => {
  server = pgServer();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE TABLE ${TABLE} (id int4 PRIMARY KEY, d float8, f float4, ds float8[])`);
  const texts = doubles().map((d) => (Object.is(d, -0) ? '-0' : String(d)));
  await client.query(
    `INSERT INTO ${TABLE} SELECT n, d::float8, CASE WHEN abs(d::float8) BETWEEN 1e-37 AND 3e38 OR d::float8 = 0 THEN d::float8::float4 END,
       CASE WHEN n % 10 = 0 THEN ARRAY[d::float8, NULL, -d::float8] END
     FROM unnest($1::text[]) WITH ORDINALITY AS u(d, n)`,
    [texts],
  );
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await client?.end();
  server?.stop();
});

/** Each row's values as the server's text, in a session as jsondump's (extra_float_digits 1). */
async function serverText(): Promise<{ id: number; d: string; f: string | null; ds: (string | null)[] | null }[]> {
  await client.query('SET extra_float_digits = 1');
  const { rows } = await client.query({
    text: `SELECT id, d::text AS d, f::text AS f, (SELECT array_agg(e::text ORDER BY n) FROM unnest(ds) WITH ORDINALITY AS u(e, n)) AS ds FROM ${TABLE} ORDER BY id`,
  });
  return rows as { id: number; d: string; f: string | null; ds: (string | null)[] | null }[];
}

async function exported(flags: string[]): Promise<string[]> {
  const result = await runCli(['export', server.url, '--query', `SELECT * FROM ${TABLE} ORDER BY id`, '--lines', ...flags]);
  expect(result).toMatchObject({ status: 0, stderr: '' });
  return result.stdout.split('\n').slice(0, -1);
}

function expectLines(got: string[], want: string[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) expect(got[i]).toBe(want[i]);
}

describe('PostgreSQL floats from their text', () => {
  it('js: JSON.stringify of the number the server text reads as', async () => {
    const rows = await serverText();
    const number = (text: string | null) => (text === null ? null : Number(text));
    const want = rows.map((row) => JSON.stringify({ id: row.id, d: number(row.d), f: number(row.f), ds: row.ds === null ? null : row.ds.map(number) }));
    expectLines(await exported([]), want);
  });

  it("python: json.dumps of float() of the server's text", async () => {
    const rows = await serverText();
    const float = (text: string | null) => (text === null ? null : { float: text });
    const want = pythonRows(rows.map((row) => [['id', { int: String(row.id) }], ['d', float(row.d)], ['f', float(row.f)], ['ds', row.ds === null ? null : row.ds.map(float)]]));
    expectLines(await exported(['--dialect', 'python']), want);
  });
});
