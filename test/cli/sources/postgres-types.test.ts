// Every PostgreSQL type as PostgreSQL's own to_json writes it (the oracle: the server, asked in
// the same session settings), whatever the layout (indented, python dialect, JSON Lines) and the
// client's time zone; bytea as --blob asks. Values are compared with numbers as their exact text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { exactValue, exactValues } from '../helpers/db-helpers.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_types_${process.pid}`;

const COLUMNS: [string, string, string][] = [
  // name, type, a value (SQL literal)
  ['id', 'int8', '1'],
  ['d', 'date', "'2024-01-02'"],
  ['d_arr', 'date[]', "'{2024-01-02,NULL,infinity}'"],
  ['n', 'numeric', "'NaN'"],
  ['n_big', 'numeric', "'123456789012345678901234567890.000000000100'"],
  ['n_arr', 'numeric[]', "'{1.10000000000000000000001,-2,NaN}'"],
  ['i8_arr', 'int8[]', "'{9007199254740993,-9223372036854775808}'"],
  ['tz', 'timestamptz', "'2024-01-02 03:04:05.123456+02'"],
  ['tz_arr', 'timestamptz[]', "'{\"2024-01-02 03:04:05.123456+00\",\"1999-12-31 23:59:59.000001-05\"}'"],
  ['ts', 'timestamp', "'2024-01-02 03:04:05.5'"],
  ['iv', 'interval', "'1 year 2 days 03:04:05.678'"],
  ['iv_arr', 'interval[]', "'{\"1 day\",\"-2 hours\"}'"],
  ['p', 'point', "'(1.5,-2)'"],
  ['f', 'float8', '0.1'],
  ['r4', 'real', '1.5'],
  ['j', 'jsonb', `'{"b": [1, 2.50, 0.0], "a": {"x": null, "y": "ä"}}'`],
  ['js', 'json', `'{ "z" : 1e400,  "a":[ 2 ] }'`],
  ['t', 'text', `E'Zoë "q" \\\\ \\t \\u0001 😀'`],
  ['u', 'uuid', "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"],
  ['b', 'bytea', "'\\x00ff10'"],
  ['b_arr', 'bytea[]', "ARRAY['\\x00ff'::bytea, NULL, '\\x'::bytea]"],
  ['ok', 'bool', 'true'],
  ['nothing', 'text', 'NULL'],
];

let server: PgServer;
let client: pg.Client;

beforeAll(async () => {
  // The CLI runs in a time zone far from UTC: a date parsed in local time used to come out a day early.
  process.env.TZ = 'America/Los_Angeles';
  server = pgServer();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.query(`CREATE TABLE ${TABLE} (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`);
  await client.query(`INSERT INTO ${TABLE} VALUES (${COLUMNS.map(([, , value]) => value).join(', ')})`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await client?.end();
  server?.stop();
});

/** What the server's to_json writes for each column, in the session settings jsondump documents. */
async function oracle(): Promise<Record<string, unknown>> {
  const session = new pg.Client({ connectionString: server.url });
  await session.connect();
  try {
    await session.query("SET DateStyle = ISO; SET TimeZone = 'UTC'; SET IntervalStyle = iso_8601; SET extra_float_digits = 1");
    const names = COLUMNS.map(([name]) => name).filter((name) => !name.startsWith('b'));
    const { rows } = await session.query({ text: `SELECT ${names.map((n) => `to_json(${n})::text`).join(', ')} FROM ${TABLE}`, rowMode: 'array' });
    const expected: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) expected[names[i]] = rows[0][i] === null ? null : await exactValue(rows[0][i] as string);
    return expected;
  } finally {
    await session.end();
  }
}

const BLOBS = {
  base64: { b: 'AP8Q', b_arr: ['AP8=', null, ''] },
  hex: { b: '00ff10', b_arr: ['00ff', null, ''] },
  object: { b: { $base64: 'AP8Q' }, b_arr: [{ $base64: 'AP8=' }, null, { $base64: '' }] },
};


describe('PostgreSQL types as to_json writes them', () => {
  const layouts: [string, string[]][] = [
    ['compact JSON', []],
    ['indented JSON', ['--indent', '2']],
    ['python JSON Lines', ['--dialect', 'python', '--lines']],
    ['sorted keys, ensure_ascii', ['--sort-keys', '--ensure-ascii']],
  ];
  for (const [label, flags] of layouts) {
    it(label, async () => {
      const result = await runCli(['export', server.url, '--table', TABLE, ...flags]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const [first] = await exactValues(result.stdout);
      const row = (Array.isArray(first) ? first[0] : first) as Record<string, unknown>;
      expect(row).toEqual({ ...(await oracle()), ...BLOBS.base64 });
      expect(Object.keys(row)).toEqual(flags.includes('--sort-keys') ? Object.keys(row).sort() : COLUMNS.map(([n]) => n));
    });
  }

  it('nests embedded json and jsonb in the output layout', async () => {
    const query = `SELECT j, js FROM ${TABLE}`;
    const indented = await runCli(['export', server.url, '--query', query, '--indent', '2']);
    expect(indented.stdout).toContain('\n    "j": {\n      "a": {\n        "x": null,\n        "y": "ä"\n      },\n      "b": [\n        1,\n        2.50,\n        0.0\n      ]\n    },\n    "js": {\n      "z": 1e400,\n      "a": [\n        2\n      ]\n    }\n');
    const compact = await runCli(['export', server.url, '--query', query, '--lines']);
    expect(compact.stdout).toBe('{"j":{"a":{"x":null,"y":"ä"},"b":[1,2.50,0.0]},"js":{"z":1e400,"a":[2]}}\n');
  });

  for (const format of ['base64', 'hex', 'object'] as const) {
    it(`writes bytea and bytea[] with --blob ${format}`, async () => {
      const result = await runCli(['export', server.url, '--query', `SELECT b, b_arr FROM ${TABLE}`, '--lines', '--blob', format]);
      expect(result.status).toBe(0);
      expect(await exactValues(result.stdout)).toEqual([BLOBS[format]]);
    });
  }

  it('numeric NaN is the string to_json writes; float8 NaN and -Infinity are numbers (null, as JSON.stringify writes them)', async () => {
    const query = `SELECT n, 'NaN'::float8 AS f_nan, '-Infinity'::float8 AS f_inf FROM ${TABLE}`;
    const result = await runCli(['export', server.url, '--query', query, '--lines']);
    expect(result.stdout).toBe(JSON.stringify({ n: 'NaN', f_nan: NaN, f_inf: -Infinity }) + '\n');
  });

  it('renames a second column of the same name (id_2), and says so', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT id, id, 7 AS id_2 FROM ${TABLE}`, '--lines', '--verbose']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('{"id":1,"id_3":1,"id_2":7}\n');
    expect(result.stderr).toContain('jsondump: warning: columns of the same name renamed: id → id_3\n');
  });
});
