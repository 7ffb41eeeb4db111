// -o DIR/ (a trailing slash, or a directory that is there) writes inside DIR, as `cp FILE DIR/`
// does: the output is named after the table (--table) or the text file read, .json or .jsonl
// with --lines; split parts and their manifest go inside DIR too. A query or stdin has no name
// to give it: refused, asking for a file name. A directory that is not there is not created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

let dir = '';
let db = '';
let jsonl = '';
const ROWS = 1200;
let seq = 0;

beforeAll(() => {
  dir = tempDir('into-dir');
  db = join(dir, 'app.db');
  execFileSync('sqlite3', [db, `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ROWS}) INSERT INTO users SELECT i, 'u' || i FROM s;`]);
  jsonl = join(dir, 'events.jsonl.gz');
  writeFileSync(join(dir, 'events.jsonl'), '{"e":1}\n{"e":2}\n');
  execFileSync('gzip', ['-k', join(dir, 'events.jsonl')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty directory beside the database, and the place it leaves around it. */
function outDir(): { out: string; around: string } {
  const around = join(dir, `case-${seq++}`);
  mkdirSync(around);
  const out = join(around, 'out');
  mkdirSync(out);
  return { out, around };
}

const users = (...more: string[]) => runCli(['export', `sqlite:${db}`, '--table', 'users', ...more]);
const sqliteRows = (): unknown[] => JSON.parse(execFileSync('sqlite3', ['-json', db, 'SELECT * FROM users'], { encoding: 'utf8' })) as unknown[];

describe('--split-rows into a directory', () => {
  it('-o DIR/ and -o DIR: the parts and the manifest inside DIR, named after the table; nothing beside it', async () => {
    for (const spelled of [(out: string) => `${out}/`, (out: string) => out]) {
      const { out, around } = outDir();
      expect(await users('--lines', '--split-rows', '500', '-o', spelled(out))).toMatchObject({ status: 0, stderr: '' });
      expect(readdirSync(out).sort()).toEqual(['users-00001.jsonl', 'users-00002.jsonl', 'users-00003.jsonl', 'users.manifest.json']);
      expect(readdirSync(around)).toEqual(['out']);
      const read = ['users-00001.jsonl', 'users-00002.jsonl', 'users-00003.jsonl'].flatMap((n) => readFileSync(join(out, n), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown));
      expect(read).toEqual(sqliteRows());
    }
  });

  it('a text file source: named after the file, without its extensions', async () => {
    const { out } = outDir();
    expect(await runCli(['export', jsonl, '--split-rows', '1', '-o', `${out}/`])).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(out).sort()).toEqual(['events-00001.json', 'events-00002.json', 'events.manifest.json']);
  });
});

describe('one file into a directory', () => {
  it('-o DIR/: DIR/TABLE.json, or .jsonl with --lines', async () => {
    const { out } = outDir();
    expect(await users('-o', `${out}/`)).toMatchObject({ status: 0, stderr: '' });
    expect(await users('--lines', '-o', out)).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(out).sort()).toEqual(['users.json', 'users.jsonl']);
    expect(JSON.parse(readFileSync(join(out, 'users.json'), 'utf8'))).toEqual(sqliteRows());
  });
});

describe('refused', () => {
  it('a query or stdin into a directory: name the file', async () => {
    const { out } = outDir();
    const query = await runCli(['export', `sqlite:${db}`, '--query', 'SELECT 1 AS x', '--split-rows', '10', '-o', `${out}/`]);
    expect(query).toMatchObject({ status: 2, stdout: '' });
    expect(query.stderr).toBe(`jsondump: -o ${out}/ is a directory: the output is named after --table or the file read; name the file: -o ${join(out, 'NAME.json')}\nTry 'jsondump --help' for more information.\n`);
    const stdin = await runCli(['export', '-', '--lines', '-o', out], { input: '{"a":1}\n' });
    expect(stdin).toMatchObject({ status: 2 });
    expect(stdin.stderr).toMatch(new RegExp(`^jsondump: -o ${out} is a directory: .*-o ${join(out, 'NAME.jsonl')}\\n`));
    expect(readdirSync(out)).toEqual([]);
  });

  it('a directory that is not there: not created', async () => {
    const { around } = outDir();
    const missing = join(around, 'missing');
    expect(await users('--split-rows', '500', '-o', `${missing}/`)).toMatchObject({ status: 1, stderr: `jsondump: cannot write ${missing}/: no such directory\n` });
    expect(readdirSync(around)).toEqual(['out']);
  });

  it('--split-rows with -o naming a device: refused, nothing written beside it', async () => {
    const result = await users('--split-rows', '500', '-o', '/dev/null');
    expect(result).toMatchObject({ status: 2 });
    expect(result.stderr).toMatch(/^jsondump: --split-rows writes numbered files beside -o FILE, and \/dev\/null is not a file or a directory\n/);
    expect(readdirSync('/dev').filter((n) => n.startsWith('null-'))).toEqual([]);
  });
});
