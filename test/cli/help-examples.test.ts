// The three worked examples of `jsondump --help`, run as a shell runs them (the PostgreSQL URL
// pointed at the test server), and what they write checked against the sources: SQLite's rows,
// PostgreSQL's own to_json, and CPython's json.dumps for the re-indented document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import { HELP } from '../../src/cli/help.js';
import { CLI, tempDir } from './helpers/cli.js';
import { pgServer, type PgServer } from './helpers/pg-server.js';

const EXAMPLE_URL = 'postgres://me@db.example/shop';
const DATABASE = `jsondump_help_${process.pid}`;

let dir = '';
let server: PgServer;
let url = '';

/** The examples, between 'Examples:' and 'Exit status': a comment, then the command (continued lines joined). */
function examples(): { title: string; command: string }[] {
  const text = HELP.slice(HELP.indexOf('\nExamples:\n') + '\nExamples:\n'.length, HELP.indexOf('\n\nExit status'));
  return text.split('\n\n').map((block) => {
    const [comment, ...command] = block.split('\n');
    return { title: comment.trim(), command: command.join('\n').replace(/\\\n\s*/g, '').trim() };
  });
}

/** Runs `command` in bash in the test directory, `jsondump` being the built CLI; throws unless it exits 0, quietly. */
function run(command: string): void {
  const script = `jsondump() { node "$CLI" "$@"; }\n${command.replace(EXAMPLE_URL, url)}`;
  const result = spawnSync('bash', ['-c', script], { cwd: dir, env: { ...process.env, CLI }, encoding: 'utf8' });
  expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
}

beforeAll(async () => {
  dir = tempDir('help-examples');
  const db = new Database(join(dir, 'app.db'));
  db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, joined TEXT);
    INSERT INTO users VALUES (1, 'Zoë', '2024-03-01'), (2, 'Łucja 王', '2025-07-14'), (3, 'Sam', NULL)`);
  db.close();
  writeFileSync(join(dir, 'data.json'), '{"rows": [{"id": 1, "price": 0.5, "name": "Zoë", "tags": ["a", "b"]}, {"id": 2, "price": 12.25, "name": "東京", "tags": []}], "total": 2, "ok": true, "none": null}');
  server = pgServer();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  url = server.url.replace(/\/[^/]*$/, `/${DATABASE}`);
  const shop = new pg.Client({ connectionString: url });
  await shop.connect();
  await shop.query(`CREATE TABLE orders (id int PRIMARY KEY, total numeric(10, 2), created_at timestamptz);
    INSERT INTO orders VALUES (1, 9.99, '2024-12-31 23:00:00+00'), (2, 120.50, '2025-01-01 00:00:00+00'), (3, 0.01, '2025-06-30 12:30:00.25+00')`);
  await shop.end();
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.end();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the worked examples of --help run', () => {
  it('there are three, each a comment and a jsondump export command', () => {
    expect(examples().map((e) => [e.title.slice(0, 2), e.command.split(' ').slice(0, 2).join(' ')])).toEqual([
      ['# ', 'jsondump export'],
      ['# ', 'jsondump export'],
      ['# ', 'jsondump export'],
    ]);
  });

  it('1. an SQLite table to gzip-compressed JSON Lines, failing if empty', () => {
    const [example] = examples();
    expect(example.command).toBe('jsondump export sqlite:app.db --table users --lines --min-rows 1 -o users.jsonl.gz');
    run(example.command);
    const db = new Database(join(dir, 'app.db'), { readonly: true });
    const rows = db.prepare('SELECT * FROM users ORDER BY rowid').all();
    db.close();
    expect(gunzipSync(readFileSync(join(dir, 'users.jsonl.gz'))).toString('utf8')).toBe(rows.map((r) => JSON.stringify(r) + '\n').join(''));
  });

  it('2. a PostgreSQL table, rows selected by a bound value, in parts with a manifest', async () => {
    const example = examples()[1];
    expect(example.command).toContain(EXAMPLE_URL);
    run(example.command);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`SET TimeZone = 'UTC'`);
    const { rows } = await client.query<{ t: string }>(`SELECT to_json(o)::text AS t FROM orders o WHERE created_at >= '2025-01-01 00:00+00' ORDER BY id`);
    await client.end();
    expect(readdirSync(dir).filter((f) => f.startsWith('orders')).sort()).toEqual(['orders-00001.jsonl', 'orders.manifest.json']);
    const lines = readFileSync(join(dir, 'orders-00001.jsonl'), 'utf8').split('\n').slice(0, -1);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(rows.map((r) => JSON.parse(r.t) as unknown));
    expect(JSON.parse(readFileSync(join(dir, 'orders.manifest.json'), 'utf8'))).toMatchObject({ rows: 2, files: [{ name: 'orders-00001.jsonl', rows: 2 }] });
  });

  it("3. a JSON file re-indented as Python's json.dump(obj, f, indent=4) writes it", () => {
    const example = examples()[2];
    run(example.command);
    const python = execFileSync('python3', ['-c', 'import json, sys; sys.stdout.write(json.dumps(json.load(open("data.json", encoding="utf-8")), indent=4))'], { cwd: dir, encoding: 'utf8' });
    expect(readFileSync(join(dir, 'pretty.json'), 'utf8')).toBe(python);
  });
});
