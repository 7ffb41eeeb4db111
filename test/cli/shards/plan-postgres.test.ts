// `jsondump plan` on PostgreSQL: ranges of about equal rows of the primary key (or --key), in
// one snapshot. The oracle is Python reading every key as psql prints it, sorting them in
// Python (integers and numerics as numbers, the rest as their text: dates and timestamps in ISO
// form, uuids in hex, text of the "C" collation, all of which sort as the server sorts them)
// and cutting them at positions floor(i * rows / N); each range is counted by Python with the
// plan's own boundaries. The password of the source never reaches the plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { readPlanJson, skewedIdSql } from '../helpers/shards.js';

const ROWS = 20000;
const T = `shp_t_${process.pid}`;
const PAIRS = `shp_pairs_${process.pid}`;
const NUL = `shp_nul_${process.pid}`;
const TS = `shp_ts_${process.pid}`;
const UU = `shp_uuid_${process.pid}`;
const NUM = `shp_num_${process.pid}`;
const FL = `shp_float_${process.pid}`;
const TABLES = [T, PAIRS, NUL, TS, UU, NUM, FL];

let server: PgServer;
let client: pg.Client;
let dir = '';

beforeAll(async () => {
  server = pgServer();
  dir = tempDir('plan-pg');
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${TABLES.join(', ')}`);
  await client.query(`CREATE TABLE ${T} (id int8 PRIMARY KEY, name text)`);
  await client.query(`INSERT INTO ${T} SELECT ${skewedIdSql('i::int8', ROWS)}, 'row ' || i FROM generate_series(1, ${ROWS}) AS i ORDER BY random()`);
  await client.query(`CREATE TABLE ${PAIRS} (a text COLLATE "C", b date, v text, PRIMARY KEY (a, b))`);
  await client.query(`INSERT INTO ${PAIRS} SELECT 'k' || (i % 13) || CASE WHEN i % 3 = 0 THEN 'é' ELSE 'Z' END, date '2020-01-01' + i, 'v' || i FROM generate_series(1, 5000) AS i`);
  await client.query(`CREATE TABLE ${NUL} (c int, v text)`);
  await client.query(`INSERT INTO ${NUL} SELECT CASE WHEN i % 40 = 0 THEN NULL ELSE i % 700 END, 'v' || i FROM generate_series(1, 4000) AS i`);
  await client.query(`CREATE TABLE ${TS} (at timestamptz PRIMARY KEY)`);
  await client.query(`INSERT INTO ${TS} SELECT timestamptz '2024-01-01 00:00:00.5+00' + i * interval '37 minutes 1.25 seconds' FROM generate_series(1, 3000) AS i`);
  await client.query(`CREATE TABLE ${UU} (u uuid PRIMARY KEY)`);
  await client.query(`INSERT INTO ${UU} SELECT md5(i::text)::uuid FROM generate_series(1, 3000) AS i`);
  await client.query(`CREATE TABLE ${NUM} (n numeric PRIMARY KEY)`);
  await client.query(`INSERT INTO ${NUM} SELECT (i * i)::numeric / 7 FROM generate_series(1, 3000) AS i`);
  await client.query(`CREATE TABLE ${FL} (x float8 PRIMARY KEY)`);
  await client.query(`INSERT INTO ${FL} VALUES (0.5), (1.5), (2.5)`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLES.join(', ')}`).catch(() => {});
  await client?.end();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ORACLE = `
import json, sys
from bisect import bisect_left
from decimal import Decimal
kinds, n, plan_path = sys.argv[1].split(','), int(sys.argv[2]), sys.argv[3]
def read(kind, text):
    return int(text) if kind == 'int' else Decimal(text) if kind == 'numeric' else text
rows = []
for line in sys.stdin.read().split('\\n')[:-1]:
    fields = line.split('\\t')
    rows.append(tuple(None if f == '\\\\N' else read(k, f) for k, f in zip(kinds, fields)))
nulls = sum(1 for r in rows if None in r)
keys = sorted(r for r in rows if None not in r)
def tag(kind, v):
    return {'integer': str(v)} if kind == 'int' else {'text': str(v)}
bounds = [[tag(k, v) for k, v in zip(kinds, keys[i * len(keys) // n])] for i in range(1, n)]
plan = json.load(open(plan_path))
cuts = [tuple(read(k, list(v.values())[0]) for k, v in zip(kinds, r['from'])) for r in plan['ranges'][1:]]
edges = [0] + [bisect_left(keys, c) for c in cuts] + [len(keys)]
counts = [edges[i + 1] - edges[i] for i in range(n)]
counts[0] += nulls
print(json.dumps({'bounds': bounds, 'counts': counts}))
`;

/** Python's boundaries of the keys `select` returns (as psql prints them), and its count of each of the plan's ranges. */
function oracle(select: string, kinds: string[], n: number, planPath: string): { bounds: unknown[]; counts: number[] } {
  const keys = execFileSync('psql', [server.url, '-AtX', '-F', '\t', '-P', 'null=\\N', '-c', `SET TimeZone = 'UTC'; SET DateStyle = ISO; ${select}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const result = spawnSync('python3', ['-c', ORACLE, kinds.join(','), String(n), planPath], { input: keys.replace(/^SET\n/gm, ''), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

let seq = 0;
async function plan(source: string, ...flags: string[]): Promise<{ path: string; status: number | null; stderr: string }> {
  const path = join(dir, `plan-${seq++}.json`);
  const result = await runCli(['plan', source, ...flags, '-o', path]);
  return { path, status: result.status, stderr: result.stderr };
}

describe('jsondump plan on a PostgreSQL table', () => {
  it('cuts skewed int8 ids into ranges of equal rows, at the keys Python finds there, exactly past 2^53', async () => {
    for (const shards of [1, 5, 16]) {
      const made = await plan(server.url, '--table', T, '--shards', String(shards));
      expect(made).toMatchObject({ status: 0, stderr: '' });
      const p = readPlanJson(made.path);
      const expected = oracle(`SELECT id FROM ${T}`, ['int'], shards, made.path);
      expect(p.ranges.slice(1).map((r) => r.from)).toEqual(expected.bounds);
      expect(p.ranges.map((r) => r.rows)).toEqual(expected.counts);
      expect(p.key).toEqual([{ name: 'id', type: 'bigint', nullable: false }]);
      expect(p.database).toBe('postgres');
    }
  });

  it('cuts a composite primary key (text, date) with row values', async () => {
    const made = await plan(server.url, '--table', PAIRS, '--shards', '6', '--lines');
    expect(made.status).toBe(0);
    const p = readPlanJson(made.path);
    expect(p.key).toEqual([{ name: 'a', type: 'text', nullable: false }, { name: 'b', type: 'date', nullable: false }]);
    const expected = oracle(`SELECT a, b FROM ${PAIRS}`, ['text', 'text'], 6, made.path);
    expect(p.ranges.slice(1).map((r) => r.from)).toEqual(expected.bounds);
    expect(p.ranges.map((r) => r.rows)).toEqual(expected.counts);
  });

  for (const [table, type, kind] of [[TS, 'timestamp with time zone', 'text'], [UU, 'uuid', 'text'], [NUM, 'numeric', 'numeric']] as const) {
    it(`cuts a ${type} key at its exact text`, async () => {
      const made = await plan(server.url, '--table', table, '--shards', '4');
      expect(made.status).toBe(0);
      const p = readPlanJson(made.path);
      expect(p.key[0]).toMatchObject({ type });
      const column = p.key[0].name;
      const expected = oracle(`SELECT ${column} FROM ${table}`, [kind], 4, made.path);
      expect(p.ranges.slice(1).map((r) => r.from)).toEqual(expected.bounds);
      expect(p.ranges.map((r) => r.rows)).toEqual(expected.counts);
    });
  }

  it('takes --key, counts a key that is not unique range by range, and puts NULL keys in the first shard', async () => {
    const made = await plan(server.url, '--table', NUL, '--key', 'c', '--shards', '3');
    expect(made.status).toBe(0);
    const p = readPlanJson(made.path);
    expect(p).toMatchObject({ unique: false, key: [{ name: 'c', type: 'integer', nullable: true }] });
    expect(p.ranges.map((r) => r.rows)).toEqual(oracle(`SELECT c FROM ${NUL}`, ['int'], 3, made.path).counts);
    expect(p.rows).toBe(4000);
  });

  it('writes the source without its password', async () => {
    const url = new URL(server.url);
    url.password = 's3cret-Pw';
    const made = await plan(url.toString(), '--table', PAIRS, '--shards', '2');
    expect(made.status).toBe(0);
    const text = readFileSync(made.path, 'utf8');
    expect(text).not.toContain('s3cret');
    url.password = '';
    expect(readPlanJson(made.path).source).toBe(url.toString());
    const libpq = `host=${url.hostname} port=${url.port} dbname=postgres user=postgres password='s3cret x'`;
    const fromLibpq = await plan(libpq, '--table', PAIRS, '--shards', '2');
    expect(fromLibpq.status).toBe(0);
    expect(readPlanJson(fromLibpq.path).source).toBe(`host=${url.hostname} port=${url.port} dbname=postgres user=postgres`);
  });

  it('refuses a key of a type it cannot cut, and a table without a key', async () => {
    const float = await plan(server.url, '--table', FL, '--shards', '2');
    expect(float.status).toBe(2);
    expect(float.stderr).toMatch(/the key column x is of type double precision: jsondump cuts PostgreSQL keys of smallint, integer, bigint, numeric, text/);
    const nokey = await plan(server.url, '--table', NUL, '--shards', '2');
    expect(nokey.status).toBe(2);
    expect(nokey.stderr).toMatch(new RegExp(`${NUL} has no primary key: give --key COLUMN`));
  });
});
