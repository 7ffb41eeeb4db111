// Counts in messages agree with their noun and group their thousands: "wrote 1 row", "1 record,
// not the 2 that --assert-rows expects", "2,500 records", "(104,857,600 bytes)", "1 --json-cols
// value was not JSON".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers/cli.js';

let dir = '';
let db = '';
beforeAll(() => {
  dir = tempDir('counts');
  db = join(dir, 'app.db');
  execFileSync('sqlite3', [db, `CREATE TABLE one (id INTEGER PRIMARY KEY, doc TEXT); INSERT INTO one VALUES (1, '[not json');
    CREATE TABLE many (id INTEGER PRIMARY KEY, doc TEXT);
    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2500) INSERT INTO many SELECT i, '{x' || i FROM s;`]);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const table = (name: string, ...more: string[]) => runCli(['export', `sqlite:${db}`, '--table', name, ...more]);

describe('counts in messages', () => {
  it('the summary: 1 row, 2,500 rows', async () => {
    expect((await table('one', '--verbose', '-o', join(dir, 'a.json'))).stderr).toMatch(/^jsondump: wrote 1 row, /);
    expect((await table('many', '--verbose', '-o', join(dir, 'b.json'))).stderr).toMatch(/^jsondump: wrote 2,500 rows, /);
  });

  it('--assert-rows and --min-rows: the noun agrees, thousands grouped', async () => {
    expect((await table('one', '--assert-rows', '2', '-o', join(dir, 'c.json'))).stderr).toBe('jsondump: 1 record, not the 2 that --assert-rows expects: nothing written\n');
    expect((await table('many', '--assert-rows', '2499', '-o', join(dir, 'c.json'))).stderr).toBe('jsondump: 2,500 records, not the 2,499 that --assert-rows expects: nothing written\n');
    expect((await table('many', '--min-rows', '10000', '-o', join(dir, 'c.json'))).stderr).toBe('jsondump: 2,500 records, fewer than the 10,000 that --min-rows expects: nothing written\n');
  });

  it('--max-bytes: the limit in bytes, grouped', async () => {
    expect((await table('many', '--max-bytes', '10k', '-o', join(dir, 'd.json'))).stderr).toBe('jsondump: the output passes --max-bytes (10,240 bytes)\n');
  });

  it('--json-cols: 1 value was not JSON', async () => {
    expect((await table('one', '--json-cols', '--verbose', '-o', join(dir, 'e.json'))).stderr).toContain('1 --json-cols value was not JSON (kept as a string)\n');
    expect((await table('many', '--json-cols', '--verbose', '-o', join(dir, 'e.json'))).stderr).toContain('2,500 --json-cols values were not JSON (kept as strings)\n');
  });
});
