// --jobs N on a live SQLite database (WAL mode, another process committing all the while) reads
// one committed state, as one job does: every worker reads the same snapshot, or the export
// runs as one job and says so. The writer bumps a stripe of rows spread over the whole key
// range in each transaction, so rows of two states show as two different values of `gen`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const ROWS = 60000;
const STRIPE = 500; // rows id % STRIPE = 0 change together

// A python3 process (its own sqlite3 library, its own connection) committing in a loop.
const WRITER = `
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute('PRAGMA busy_timeout = 10000')
n = 0
while True:
    con.execute('BEGIN IMMEDIATE')
    con.execute('UPDATE t SET gen = gen + 1 WHERE id % ${STRIPE} = 0')
    con.execute('COMMIT')
    n += 1
    if n == 20:
        print('committing', flush=True)
    time.sleep(0.001)
`;

let dir = '';
let db = '';
let writer: ChildProcess | null = null;

beforeAll(async () => {
  dir = tempDir('sqlite-snapshot');
  db = join(dir, 'live.db');
  const d = new Database(db);
  d.pragma('journal_mode = WAL');
  d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, gen INTEGER, pad TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO t SELECT i, 0, printf('%.40c', 'x') FROM n`);
  d.close();
});

afterAll(async () => {
  if (writer !== null && writer.exitCode === null) {
    writer.kill();
    await once(writer, 'exit');
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The values of `gen` in the stripe of an export's JSON Lines. */
function stripeGenerations(stdout: string): Set<number> {
  const gens = new Set<number>();
  for (const line of stdout.split('\n').slice(0, -1)) {
    const row = JSON.parse(line) as { id: number; gen: number };
    if (row.id % STRIPE === 0) gens.add(row.gen);
  }
  return gens;
}

describe('--jobs on a database another process writes', () => {
  it('splits an idle database over the workers', async () => {
    const result = await runCli(['export', `sqlite:${db}`, '--table', 't', '--lines', '--jobs', '4', '--verbose']);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('one job used');
    expect(result.stdout.split('\n').length - 1).toBe(ROWS);
  });

  it('the workers report their snapshot begun; one that may differ (a commit between) is refused', async () => {
    // the built pool and worker, as the CLI runs them
    const { OrderedPool } = (await import(pathToFileURL(join(ROOT, 'dist/cli/jobs/pool.js')).href)) as typeof import('../../../src/cli/jobs/pool.js');
    const setup = {
      // a page of a key range: the columns, then the key
      path: db, sql: 'SELECT id, id FROM t WHERE id >= :jsondump$lo AND id <= :jsondump$hi ORDER BY id LIMIT :jsondump$limit', paged: true,
      positional: [], named: {}, separator: '\n', checkText: false,
      shape: { columns: ['id'], arrays: false, jsonCols: false, blob: 'base64' as const }, layout: { options: {}, lines: true },
    };
    const pool = new OrderedPool(new URL(pathToFileURL(join(ROOT, 'dist/cli/jobs/sqlite-worker.js'))), setup, 2, []);
    try {
      let commits = 0;
      expect(await pool.shareSnapshot(() => commits++, 3)).toBe(false);
      expect(commits).toBe(6);
      expect(await pool.shareSnapshot(() => 0, 3)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('reads one committed state while a writer commits, or runs as one job and says so', async () => {
    writer = spawn('python3', ['-c', WRITER, db], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [first] = await once(createInterface({ input: writer.stdout! }), 'line');
    expect(first).toBe('committing');
    for (const jobs of ['4', '3', '2', '4', '3', '2']) {
      const result = await runCli(['export', `sqlite:${db}`, '--table', 't', '--lines', '--jobs', jobs, '--verbose']);
      expect(result.status).toBe(0);
      expect(result.stdout.split('\n').length - 1).toBe(ROWS);
      const gens = stripeGenerations(result.stdout);
      expect(gens.size, `--jobs ${jobs} read states ${[...gens].join(', ')}`).toBe(1);
      const fellBack = result.stderr.includes(`jsondump: --jobs ${jobs}: one job used: the database changed while the workers started`);
      expect(fellBack || !result.stderr.includes('one job used')).toBe(true);
    }
    expect(writer.exitCode).toBe(null);
  });
});
