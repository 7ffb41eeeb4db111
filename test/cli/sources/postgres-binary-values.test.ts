// The values written from COPY's binary form (numeric, dates and times, uuid, integers, text,
// arrays, enums and domains) are the server's own to_json text, character for character: on
// thousands of generated values of every scale, weight, era and edge, each record equals the
// server's row_to_json of the same row (these types' to_json text is compact JSON already).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_binary_${process.pid}`;
const MOOD = `jsondump_mood_${process.pid}`;
const AMOUNT = `jsondump_amount_${process.pid}`;
const ROWS = 3000;

let server: PgServer;
let client: pg.Client;
let dir: string;

/** Numeric text of every shape: integers of up to 60 digits, fractions of up to 40, zero, scales past the digits. */
const NUMERICS = `CASE g % 9
  WHEN 0 THEN (random() * 10 ^ (g % 30))::numeric(80, 0)::text
  WHEN 1 THEN '-' || (random() * 10 ^ (g % 20))::numeric(60, 20)::text
  WHEN 2 THEN '0.' || repeat('0', g % 23) || (g % 1000)::text
  WHEN 3 THEN (g % 7)::text || '.' || repeat('0', g % 11)
  WHEN 4 THEN '-0.00' || g::text
  WHEN 5 THEN repeat('9', 1 + g % 60) || '.' || repeat('9', g % 40)
  WHEN 6 THEN (g * 10000)::text
  WHEN 7 THEN '0'
  ELSE (g::numeric / 7)::text END::numeric`;

beforeAll(async () => {
  server = await pgServer();
  client = new pg.Client(server.url);
  await client.connect();
  dir = tempDir('pg-binary');
  await client.query(`CREATE TYPE ${MOOD} AS ENUM ('sad', 'ok', 'happy "quoted"')`);
  await client.query(`CREATE DOMAIN ${AMOUNT} AS numeric`);
  await client.query(`CREATE TABLE ${TABLE} (id int4 PRIMARY KEY, n numeric, dn ${AMOUNT}, t timestamp, tz timestamptz, d date, u uuid,
    i2 int2, i8 int8, b bool, tx text, nm name, bp char(5), vc varchar(20), mood ${MOOD}, grid int4[], words text[], days date[], moods ${MOOD}[], amounts numeric[])`);
  await client.query(`INSERT INTO ${TABLE} SELECT g, ${NUMERICS}, ${NUMERICS} * -1,
      timestamp '2000-01-01' + (g - ${ROWS / 2}) * interval '1 day 1 hour 1 minute 1.000001 second' * (1 + g % 97),
      timestamptz '1970-01-01 00:00:00+00' + g * interval '123 days 45.678901 seconds' * CASE WHEN g % 2 = 0 THEN 1 ELSE -1 END,
      date '2000-01-01' + (g - ${ROWS / 2}) * (1 + g % 401),
      md5(g::text)::uuid,
      (g * 37 % 65536 - 32768)::int2, (g::int8 * 3074457345618258) * CASE WHEN g % 2 = 0 THEN 1 ELSE -1 END, g % 3 = 0,
      'row ' || g || ' "q" \\ ' || chr(1 + g % 31) || ' é 東京 😀', 'name' || g, 'ab', 'v' || g,
      (ARRAY['sad', 'ok', 'happy "quoted"'])[1 + g % 3]::${MOOD},
      ARRAY[[g, -g], [g % 7, NULL]], ARRAY['a', NULL, 'b "' || g || '"', ''], ARRAY[date '2024-02-29', NULL],
      ARRAY['ok', 'sad']::${MOOD}[], ARRAY[1.50, -0.001, g]::numeric[]
    FROM generate_series(1, ${ROWS}) AS g`);
  // the edges: eras, infinities, NULLs
  await client.query(`INSERT INTO ${TABLE} (id, n, t, tz, d, grid, words) VALUES
    (${ROWS + 1}, 'NaN', '0044-03-15 12:00:00.5 BC', '4713-01-01 00:00:00+00 BC', '0044-03-15 BC', '{}', '{}'),
    (${ROWS + 2}, 'Infinity', 'infinity', '-infinity', 'infinity', '[2:3]={5,6}', '{{a,b},{c,d}}'),
    (${ROWS + 3}, '-Infinity', '294276-12-31 23:59:59.999999', '10000-01-01 00:00:00.000001+00', '-infinity', NULL, NULL),
    (${ROWS + 4}, NULL, '1858-11-17 00:00:00', '2141-12-31 23:59:59.9+00', '5874897-12-31', NULL, NULL)`);
}, 120_000);

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await client?.query(`DROP TYPE IF EXISTS ${MOOD}`).catch(() => {});
  await client?.query(`DROP DOMAIN IF EXISTS ${AMOUNT}`).catch(() => {});
  await client?.end();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('PostgreSQL values written from their binary form', () => {
  it("equal the server's row_to_json text, record for record", async () => {
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = ISO");
    const { rows } = await client.query(`SELECT row_to_json(r.*)::text AS j FROM ${TABLE} r ORDER BY id`);
    const expected = rows.map((row) => `${row.j as string}\n`).join('');
    const result = await runCli(['export', server.url, '--query', `SELECT * FROM ${TABLE} ORDER BY id`, '--lines']);
    expect(result.stderr).toBe('');
    const got = result.stdout.split('\n');
    const want = expected.split('\n');
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) expect(got[i]).toBe(want[i]);
    expect(result.stdout).toBe(expected);
  }, 120_000);
});
