// A jsonb document of 100 MB in one row goes through in flat memory: its bytes are re-laid out
// as they arrive from the server, never held whole, and the output is the server's document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CLI, tempDir } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const MAX_RSS_PRELOAD = new URL('../helpers/max-rss.mjs', import.meta.url).pathname;
const TABLE = `jsondump_large_${process.pid}`;
// 800,000 elements of about 130 bytes: a document of about 100 MB
const ELEMENTS = 800_000;

let server: PgServer;
let client: pg.Client;
let dir: string;

beforeAll(async () => {
  server = await pgServer();
  client = new pg.Client(server.url);
  await client.connect();
  dir = tempDir('pg-large');
  await client.query(`CREATE TABLE ${TABLE} (id int8 PRIMARY KEY, doc jsonb, note text)`);
  await client.query(
    `INSERT INTO ${TABLE} SELECT 1, jsonb_build_object('items', (SELECT jsonb_agg(jsonb_build_object('i', g, 'name', 'élément ' || g, 'pad', repeat('x', 80))) FROM generate_series(1, ${ELEMENTS}) AS g)), 'after'`,
  );
}, 300_000);

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await client?.end();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a 100 MB jsonb value in one row', () => {
  it('is exported in flat memory (peak RSS under 150 MiB), equal to the server document', async () => {
    const rssFile = join(dir, 'maxrss');
    const out = join(dir, 'large.jsonl');
    const child = spawn(process.execPath, ['--import', MAX_RSS_PRELOAD, CLI, 'export', server.url, '--table', TABLE, '--lines', '-o', out], {
      env: { ...process.env, JSONDUMP_MAXRSS_FILE: rssFile },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(0);
    const maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    expect(maxRssMb).toBeLessThan(150);
    const text = readFileSync(out, 'utf8');
    expect(text.length).toBeGreaterThan(100_000_000);
    // the server's own text of the document (jsonb's layout), parsed and written compact by
    // JSON.stringify: every number here is an integer, so its text is the same either way
    const { rows } = await client.query(`SELECT doc::text AS doc FROM ${TABLE}`);
    const expected = `{"id":1,"doc":${JSON.stringify(JSON.parse(rows[0].doc as string))},"note":"after"}\n`;
    expect(text === expected).toBe(true);
  }, 300_000);
});
