// --no-allow-nan is the library's allowNaN: false: a non-finite REAL fails the export (exit 1,
// one line naming the column, nothing written) where Python's json.dumps(allow_nan=False)
// raises; without it each dialect writes them by its own rule (Python: Infinity; JSON.stringify: null).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../helpers/cli.js';
import { pythonSqlite } from '../helpers/python-json.js';

const QUERY = 'SELECT 2.5 AS x, 1e999 AS inf, -1e999 AS ninf';

let dir = '';
let path = '';

beforeAll(() => {
  dir = tempDir('no-allow-nan');
  path = join(dir, 'n.db');
  const db = new Database(path);
  // 20,000 rows (several key ranges under --jobs): the 12,345th holds Infinity
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, r REAL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
    INSERT INTO t SELECT i * 2, CASE WHEN i = 12345 THEN 1e999 ELSE i / 3.0 END FROM n`);
  db.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...flags: string[]) => runCli(['export', `sqlite:${path}`, '--query', QUERY, '--lines', ...flags]);

describe('--no-allow-nan', () => {
  it('refuses a non-finite REAL in the python dialect, as json.dumps(allow_nan=False) does', async () => {
    expect(pythonSqlite(path, QUERY, { allow_nan: false }).at(-1)).toMatch(/^ValueError: /);
    const result = await run('--dialect', 'python', '--no-allow-nan');
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toMatch(/^jsondump: row 1, column inf: Infinity is not allowed \(--no-allow-nan\)\n$/);
  });

  it('refuses it in the js dialect', async () => {
    const result = await run('--no-allow-nan');
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: row 1, column inf: Infinity is not allowed (--no-allow-nan)\n' });
  });

  it('names the row in output order, with --jobs too', async () => {
    const out = join(dir, 'out.json');
    for (const jobs of ['1', '2', '3']) {
      const result = await runCli(['export', `sqlite:${path}`, '--table', 't', '--no-allow-nan', '--jobs', jobs, '-o', out]);
      expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'jsondump: row 12345, column r: Infinity is not allowed (--no-allow-nan)\n' });
      expect(existsSync(out)).toBe(false);
    }
  });

  it('without it, each dialect writes them by its rule', async () => {
    expect((await run('--dialect', 'python')).stdout).toBe(pythonSqlite(path, QUERY).join('\n') + '\n');
    expect((await run()).stdout).toBe(JSON.stringify({ x: 2.5, inf: Infinity, ninf: -Infinity }) + '\n');
  });
});
