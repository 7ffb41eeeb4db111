// --jobs N bounds each key range with parameters of its own: a user's --param can be named
// anything it likes (here: the names those bounds once had) and is never overwritten by them.
// The oracle: the sqlite3 shell's count for the same --where and values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../helpers/cli.js';

let dir = '';
let db = '';

beforeAll(() => {
  dir = tempDir('sqlite-param-names');
  db = join(dir, 'p.db');
  const d = new Database(db);
  d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO t SELECT i, i % 1000 FROM n`);
  d.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--jobs and parameters named like its own', () => {
  const cases: [string, string[]][] = [
    ['v >= :jsondump_lo AND v <= :jsondump_hi', ['jsondump_lo=100', 'jsondump_hi=120']],
    ['v = :lo OR v = :hi', ['lo=7', 'hi=9']],
    ['v < ?', ['3']],
  ];
  for (const [where, params] of cases) {
    it(`--where '${where}'`, async () => {
      const shell = [...params.map((p) => p.split('=')).map(([name, value], i) => (value === undefined ? `.param set ?${i + 1} ${name}` : `.param set :${name} ${value}`)), `SELECT count(*) FROM t WHERE ${where};`];
      const expected = Number(execFileSync('sqlite3', ['-readonly', db], { input: shell.join('\n'), encoding: 'utf8' }));
      expect(expected).toBeGreaterThan(0);
      for (const jobs of ['1', '2', '4']) {
        const result = await runCli(['export', `sqlite:${db}`, '--table', 't', '--lines', '--where', where, ...params.flatMap((p) => ['--param', p]), '--jobs', jobs]);
        expect(result).toMatchObject({ status: 0, stderr: '' });
        expect(result.stdout.split('\n').length - 1).toBe(expected);
      }
    });
  }
});
