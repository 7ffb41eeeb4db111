// What changes the data's shape from what was asked — a column renamed so that no member is
// lost (a → a_2), a --json-cols value kept as a string — is said on stderr whether or not it is
// a terminal and without --verbose (the summary is not); -q silences it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers/cli.js';

let dir = '';
let db = '';
beforeAll(() => {
  dir = tempDir('shape-warnings');
  db = join(dir, 'app.db');
  execFileSync('sqlite3', [db, `CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT); INSERT INTO t VALUES (1, '{"a":1}'), (2, '[oops');`]);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const RENAMED = 'jsondump: warning: columns of the same name renamed: a → a_2\n';
const NOT_JSON = 'jsondump: warning: 1 --json-cols value was not JSON (kept as a string)\n';
const query = (...more: string[]) => runCli(['export', `sqlite:${db}`, '--query', 'SELECT 1 AS a, 2 AS a', ...more]);

describe('shape warnings', () => {
  it('a renamed column: on stderr without --verbose, the output as renamed', async () => {
    expect(await query()).toMatchObject({ status: 0, stdout: '[{"a":1,"a_2":2}]\n', stderr: RENAMED });
    expect(await query('-o', join(dir, 'out.json'))).toMatchObject({ status: 0, stderr: RENAMED });
  });

  it('a --json-cols value that is not JSON', async () => {
    expect(await runCli(['export', `sqlite:${db}`, '--table', 't', '--json-cols'])).toMatchObject({ status: 0, stderr: NOT_JSON });
  });

  it('--verbose: once, after the summary line; -q: nothing', async () => {
    const verbose = await query('--verbose', '-o', join(dir, 'v.json'));
    expect(verbose.stderr).toMatch(new RegExp(`^jsondump: wrote 1 row, [^\\n]*\\n${RENAMED}$`));
    expect(await query('-q')).toMatchObject({ status: 0, stderr: '' });
  });
});
