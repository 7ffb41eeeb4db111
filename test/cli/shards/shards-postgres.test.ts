// A plan of 16 shards of a PostgreSQL table with skewed int8 ids, run as 16 separate processes
// four at a time: joined in glob order, the shards are byte for byte the single export of
// `SELECT * FROM t ORDER BY id`. A composite key's shards join into the export ordered by the
// key; a key that can be NULL puts those rows, first, in shard 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runCli, tempDir } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { gzipTestAll, joinedParts, readPlanJson, runEach, skewedIdSql } from '../helpers/shards.js';

const ROWS = 100_000;
const T = `shs_t_${process.pid}`;
const PAIRS = `shs_pairs_${process.pid}`;
const NUL = `shs_nul_${process.pid}`;

let server: PgServer;
let client: pg.Client;
let dir = '';

beforeAll(async () => {
  server = pgServer();
  dir = tempDir('shards-pg');
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${T}, ${PAIRS}, ${NUL}`);
  await client.query(`CREATE TABLE ${T} (id int8 PRIMARY KEY, name text, amount float8, at timestamptz, doc jsonb)`);
  await client.query(`INSERT INTO ${T} SELECT ${skewedIdSql('i::int8', ROWS)}, 'row ' || i || E' "q" \\\\ é 😀', i / 7.0,
      timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second', CASE WHEN i % 3 = 0 THEN NULL ELSE jsonb_build_object('i', i) END
    FROM generate_series(1, ${ROWS}) AS i ORDER BY random()`);
  await client.query(`CREATE TABLE ${PAIRS} (a text COLLATE "C", b date, v text, PRIMARY KEY (a, b))`);
  await client.query(`INSERT INTO ${PAIRS} SELECT 'k' || (i % 13), date '2020-01-01' + i, 'v' || i FROM generate_series(1, 5000) AS i`);
  await client.query(`CREATE TABLE ${NUL} (c int UNIQUE, v text)`);
  await client.query(`INSERT INTO ${NUL} SELECT CASE WHEN i % 40 = 0 THEN NULL ELSE i END, 'v' || i FROM generate_series(1, 4000) AS i`);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${T}, ${PAIRS}, ${NUL}`).catch(() => {});
  await client?.end();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Plans `table` in `shards`, runs them four at a time into a directory of their own; resolves with it and the plan. */
async function sharded(table: string, shards: number, ...flags: string[]): Promise<{ out: string; plan: string }> {
  const plan = join(dir, `${table}.json`);
  expect(await runCli(['plan', server.url, '--table', table, '--shards', String(shards), '--lines', ...flags, '-o', plan])).toMatchObject({ status: 0, stderr: '' });
  const out = join(dir, table);
  const results = await runEach(Array.from({ length: shards }, (_, k) => ['export', '--plan', plan, '--shard', String(k), '-o', out]), 4);
  for (const result of results) expect(result).toMatchObject({ status: 0, stderr: '' });
  return { out, plan };
}

async function single(sql: string): Promise<Buffer> {
  const path = join(dir, `single-${Math.random().toString(16).slice(2)}.jsonl`);
  expect(await runCli(['export', server.url, '--query', sql, '--lines', '-o', path])).toMatchObject({ status: 0 });
  return readFileSync(path);
}

describe('16 shards of a PostgreSQL table, 16 processes four at a time', () => {
  it('joined in glob order, are byte for byte the single export ordered by id', async () => {
    const { out, plan } = await sharded(T, 16, '--compress', 'gz');
    gzipTestAll(out);
    expect(joinedParts(out).equals(await single(`SELECT * FROM ${T} ORDER BY id`))).toBe(true);
    const p = readPlanJson(plan);
    const manifest = JSON.parse(readFileSync(join(out, 'part-00015.manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ rows: p.ranges[15].rows, planned: p.ranges[15].rows, range: { from: p.ranges[15].from, to: null } });
    // past 2^53: the first key seen is written exactly
    expect(BigInt(manifest.seen.first[0].integer)).toBeGreaterThan(2n ** 53n);
    expect(manifest.seen.first).toEqual(p.ranges[15].from);
  });

  it('a composite key (text, date): the shards join into the export ordered by the key', async () => {
    const { out } = await sharded(PAIRS, 5);
    expect(joinedParts(out).equals(await single(`SELECT * FROM ${PAIRS} ORDER BY a, b`))).toBe(true);
  });

  it('a key that can be NULL: those rows come first, in shard 0', async () => {
    const { out } = await sharded(NUL, 4, '--key', 'c');
    const joined = joinedParts(out).toString('utf8').split('\n');
    const expected = (await single(`SELECT * FROM ${NUL} ORDER BY c NULLS FIRST`)).toString('utf8').split('\n');
    // the 100 rows of NULL keys, in an order nothing decides, then the others in key order
    expect(joined.slice(0, 100).every((line) => line.startsWith('{"c":null,'))).toBe(true);
    expect(joined.slice(0, 100).sort()).toEqual(expected.slice(0, 100).sort());
    expect(joined.slice(100)).toEqual(expected.slice(100));
  });
});
