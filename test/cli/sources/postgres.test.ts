// A real PostgreSQL server: a table of int8 (beyond 2^53), numeric (40 digits, fractions), text,
// timestamptz, jsonb, bool and NULLs exported through the CLI's server-side cursor and compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CLI, eachArrayElement, runCli, tempDir } from '../helpers/cli.js';
import { exactValues } from '../helpers/db-helpers.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const MAX_RSS_PRELOAD = new URL('../helpers/max-rss.mjs', import.meta.url).pathname;

// More rows than several cursor batches (1000 rows each) hold.
const ROWS = 5500;
const TABLE = `jsondump_items_${process.pid}`;

interface Item {
  id: string;
  big: string | null;
  num: string | null;
  txt: string | null;
  at: string | null;
  doc: unknown;
  ok: boolean | null;
}

function bigOf(i: number): string {
  if (i % 3 === 0) return String(9007199254740993n + BigInt(i) * 1000003n);
  if (i % 3 === 1) return String(-9223372036854775808n + BigInt(i));
  return String(i * 1000);
}

function numOf(i: number): string {
  return ['1234567890'.repeat(4) + i, '-0.' + '0'.repeat(20) + i, `${i}.50`, '3.14159265358979323846264338327950288419'][i % 4];
}

/** ISO text as to_json writes a timestamptz in UTC, with microseconds whose last digit is never 0 (PostgreSQL drops trailing zeros). */
function atOf(i: number): string {
  const iso = new Date(Date.UTC(2020, 0, 1) + i * 3_600_123).toISOString();
  return iso.replace('Z', `${i % 10}${Math.floor(i / 7) % 10}${(i % 9) + 1}+00:00`);
}

const docText = (i: number) => `{"i": ${i}, "tags": ["ä", "b"], "big": 12345678901234567890123, "nested": {"x": [1.5, null, true]}}`;
const docValue = (i: number) => ({ i: String(i), tags: ['ä', 'b'], big: '12345678901234567890123', nested: { x: ['1.5', null, true] } });

function expectedItem(i: number): Item {
  return {
    id: String(i),
    big: i % 7 === 0 ? null : bigOf(i),
    num: i % 11 === 0 ? null : numOf(i),
    txt: i % 17 === 0 ? null : `Zoë ${i} 😀 "q" \\ 東京\n`,
    at: i % 19 === 0 ? null : atOf(i),
    doc: i % 23 === 0 ? null : docValue(i),
    ok: i % 29 === 0 ? null : i % 2 === 0,
  };
}

const expected = Array.from({ length: ROWS }, (_, k) => expectedItem(k + 1));

let server: PgServer;
let client: pg.Client;
let dir = '';

async function loadTable(): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.query(`CREATE TABLE ${TABLE} (id int8 PRIMARY KEY, big int8, num numeric, txt text, at timestamptz, doc jsonb, ok bool)`);
  const input = expected.map((item, k) => ({ ...item, doc: item.doc === null ? null : docText(k + 1) }));
  await client.query(
    `INSERT INTO ${TABLE} SELECT (x->>'id')::int8, (x->>'big')::int8, (x->>'num')::numeric, x->>'txt',
       (x->>'at')::timestamptz, (x->>'doc')::jsonb, (x->>'ok')::bool FROM jsonb_array_elements($1::jsonb) AS x`,
    [JSON.stringify(input)],
  );
  await client.query(`ANALYZE ${TABLE}`);
}

beforeAll(async () => {
  server = pgServer();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await loadTable();
  dir = tempDir('pg');
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await client?.end();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('PostgreSQL export', () => {
  it('writes every row of a table with exact int8/numeric, ISO timestamps and embedded jsonb', async () => {
    const out = join(dir, 'items.json');
    const result = await runCli(['export', server.url, '--table', TABLE, '-o', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const rows: Item[] = [];
    await eachArrayElement(createReadStream(out), (value) => rows.push(value as Item));
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows).toEqual(expected);
    // the jsonb column is embedded JSON, not a string holding JSON
    expect(readFileSync(out, 'utf8')).toContain('"doc":{"i":1,');
  });

  it('writes JSON Lines in the python dialect, in query order', async () => {
    const result = await runCli(['export', server.url, '--query', `SELECT * FROM ${TABLE} ORDER BY id`, '--lines', '--dialect', 'python']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.length).toBe(ROWS + 1);
    expect(lines[ROWS]).toBe('');
    // python's separators and ensure_ascii, inside the jsonb too
    expect(lines[0].startsWith(`{"id": 1, "big": ${bigOf(1)}, "num": ${numOf(1)}, "txt": "Zo\\u00eb 1 \\ud83d\\ude00`)).toBe(true);
    expect(lines[0]).toContain('"doc": {"i": 1, "big": 12345678901234567890123, "tags": ["\\u00e4", "b"]');
    expect(/[^\x00-\x7f]/.test(result.stdout)).toBe(false);
    expect(await exactValues(result.stdout)).toEqual(expected);
  });

  it('leaves the old file and no temporary file when the query fails midway', async () => {
    const out = join(dir, 'atomic.json');
    writeFileSync(out, 'old content');
    const query = `SELECT id, 1 / (id - 2500) AS x FROM ${TABLE} ORDER BY id`;
    const result = await runCli(['export', server.url, '--query', query, '-o', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('jsondump: SQL error: division by zero\n');
    expect(readFileSync(out, 'utf8')).toBe('old content');
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('reports bad SQL and an unknown table on one line, exit 1', async () => {
    const bad = await runCli(['export', server.url, '--query', 'SELEC 1']);
    expect(bad).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: SQL error: syntax error at or near "SELEC"\n' });
    const unknown = await runCli(['export', server.url, '--table', 'no_such_table']);
    expect(unknown).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: no such table: no_such_table\n' });
  });

  it('lets a slow reader slow the query: 200 MB through a throttled pipe in bounded memory', async () => {
    const rssFile = join(dir, 'maxrss');
    const query = "SELECT i, repeat('x', 1000) AS pad FROM generate_series(1, 200000) AS i";
    const child = spawn(process.execPath, ['--import', MAX_RSS_PRELOAD, CLI, 'export', server.url, '--query', query, '--lines'], {
      env: { ...process.env, JSONDUMP_MAXRSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    let lines = 0;
    // The reader takes a break after every chunk, so it is always slower than the server:
    // without backpressure the rows would pile up in the CLI's memory.
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 1);
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(0);
    expect(lines).toBe(200000);
    expect(bytes).toBeGreaterThan(200_000_000);
    const maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    expect(maxRssMb).toBeLessThan(150);
  });
});
