// The README's recipes of sharded exports, run as shown: the "Shell loop" block in bash, and each
// line of the "GNU parallel" block (Debian's `parallel`), with `jsondump` on PATH being the built
// CLI and events.db an SQLite table with skewed ids. The SSH line runs with its hosts replaced
// by `4/:` (GNU parallel's name for this machine): the SSH transport is not tested. Each ends with
// `manifest verify` passing, and the shards' parts, unzipped in glob order, are the single
// export ordered by id. The opening block of "## Sharded exports" runs against the test
// PostgreSQL server (a database of its own holding `events`), its URL put in place of the
// README's. The Kubernetes YAML needs a cluster and is not run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CLI, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { joinedParts, makeSkewedSqlite, skewedIdSql } from '../helpers/shards.js';

const README_URL = '"postgres://app@db.internal/shop"';
const DATABASE = `jsondump_recipes_${process.pid}`;

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The first ```sh block after the heading `### title` (or `## title`). */
function block(title: string, level = '###'): string {
  const at = readme.indexOf(`\n${level} ${title}\n`);
  expect(at, `README has no "${level} ${title}"`).toBeGreaterThan(0);
  const found = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  return (found as RegExpExecArray)[1];
}

let dir = '';
let bin = '';
let db = '';
let single = Buffer.alloc(0);
let server: PgServer;

beforeAll(async () => {
  dir = tempDir('readme-recipes');
  bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'jsondump'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'jsondump'), 0o755);
  db = join(dir, 'events.db');
  makeSkewedSqlite(db, 50_000);
  execFileSync('sqlite3', [db, 'ALTER TABLE t RENAME TO events']);
  expect(await runCli(['export', `sqlite:${db}`, '--table', 'events', '--order-by', 'id', '--lines', '-o', join(dir, 'single.jsonl')])).toMatchObject({ status: 0 });
  single = readFileSync(join(dir, 'single.jsonl'));
});

afterAll(async () => {
  if (server !== undefined) {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.end();
    server.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `script` in bash in a new directory holding events.db; returns the directory. */
function run(name: string, script: string): { cwd: string; stdout: string; stderr: string } {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  execFileSync('cp', [db, join(cwd, 'events.db')]);
  const result = spawnSync('bash', ['-e', '-c', script], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  expect(result.status, `${script}\n${result.stderr}`).toBe(0);
  return { cwd, stdout: result.stdout, stderr: result.stderr };
}

const planLine = () => block('Shell loop').split('\n')[0];

describe('the README recipes of sharded exports', () => {
  it('the shell loop: 16 shards, verified, merged; the parts are the single export', () => {
    const { cwd, stdout } = run('loop', block('Shell loop'));
    expect(stdout).toMatch(/shards\/: 16 shards of plan [0-9a-f]{12}, 50,000 rows in 16 files, .*: complete\n$/);
    expect(joinedParts(join(cwd, 'shards')).equals(single)).toBe(true);
    const merged = JSON.parse(readFileSync(join(cwd, 'events.manifest.json'), 'utf8'));
    expect(merged).toMatchObject({ jsondump: 'manifest', shards: 16, rows: 50_000 });
    expect(merged.files.map((f: { name: string }) => f.name)).toEqual(Array.from({ length: 16 }, (_, k) => `shards/part-${String(k).padStart(5, '0')}-00001.jsonl.gz`));
    // its `for` loop again: every shard is left as it is
    const loop = /^for [\s\S]*?^done$/m.exec(block('Shell loop'))?.[0] as string;
    const again = spawnSync('bash', ['-e', '-c', loop], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(again.status).toBe(0);
    expect(again.stderr.match(/is complete in shards\/ .*: nothing to do/g)).toHaveLength(16);
    // 32 processes one after another: about a minute on a busy two-core machine
  }, 300_000);

  const lines = () => block('GNU parallel').split('\n').filter((line) => line !== '' && !line.startsWith('#'));

  it('GNU parallel on this machine, four at a time', () => {
    const [local, , verify] = lines();
    expect(local).toMatch(/^parallel --jobs 4 /);
    const { cwd, stdout } = run('parallel', [planLine(), local, verify].join('\n'));
    expect(stdout).toMatch(/: complete\n$/);
    expect(joinedParts(join(cwd, 'shards')).equals(single)).toBe(true);
  });

  it('GNU parallel through --sshlogin, with this machine as the host', () => {
    const [, ssh, verify] = lines();
    expect(ssh).toContain('--sshlogin 4/host1,4/host2 ');
    const { cwd, stdout } = run('parallel-ssh', [planLine(), ssh.replace('4/host1,4/host2', '4/:'), verify].join('\n'));
    expect(stdout).toMatch(/: complete\n$/);
    expect(joinedParts(join(cwd, 'shards')).equals(single)).toBe(true);
  });

  it('the opening block, on PostgreSQL: plan, one shard, --all for the rest, verify, merge', async () => {
    server = pgServer();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const url = server.url.replace(/\/[^/]*$/, `/${DATABASE}`);
    const shop = new pg.Client({ connectionString: url });
    await shop.connect();
    await shop.query(`CREATE TABLE events (id int8 PRIMARY KEY, name text)`);
    await shop.query(`INSERT INTO events SELECT ${skewedIdSql('i::int8', 20_000)}, 'event ' || i FROM generate_series(1, 20000) AS i ORDER BY random()`);
    const expected = (await shop.query('SELECT row_to_json(e)::text AS j FROM events e ORDER BY id')).rows.map((r) => `${r.j}\n`).join('');
    await shop.end();
    const script = block('Sharded exports', '##');
    expect(script).toContain(README_URL);
    const { cwd, stdout, stderr } = run('opening', script.replace(README_URL, `"${url}"`));
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^out\/: 16 shards of plan [0-9a-f]{12}, 20,000 rows in 16 files, .*: complete\n$/);
    expect(joinedParts(join(cwd, 'out')).toString('utf8')).toBe(expected);
    expect(JSON.parse(readFileSync(join(cwd, 'events.manifest.json'), 'utf8'))).toMatchObject({ jsondump: 'manifest', shards: 16, rows: 20_000 });
  });
});
