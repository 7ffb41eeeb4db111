// The progress percentage is the share of the rows the export will write: with --limit N that
// is min(the table's rows, N), so an export of its first 1,000 rows ends at 100%, not at a
// fraction of the table. Checked on the sources (SQLite, PostgreSQL) and on the line a terminal
// shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parseCommandLine } from '../../../src/cli/command-line.js';
import type { ExportArgs } from '../../../src/cli/export-args.js';
import { openSource } from '../../../src/cli/sources/source-kinds.js';
import { makeBigTable } from '../helpers/big-table.js';
import { CLI, ROOT, tempDir } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const ROWS = 50000;
const TABLE = `jsondump_progress_${process.pid}`;

let dir = '';
let db = '';
let server: PgServer;

beforeAll(async () => {
  dir = tempDir('progress-limit');
  db = join(dir, 'big.db');
  makeBigTable(db, ROWS, 20);
  server = pgServer();
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE TABLE ${TABLE} AS SELECT i AS id, repeat('x', 20) AS text FROM generate_series(1, ${ROWS}) AS i`);
  await client.query(`ANALYZE ${TABLE}`);
  await client.end();
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.end();
  server?.stop();
});

/** The source's fraction after each batch it hands out, for the export `argv` asks for. */
async function fractions(...argv: string[]): Promise<(number | null)[]> {
  const args = parseCommandLine(['export', ...argv]) as ExportArgs;
  const signal = new AbortController().signal;
  const source = await openSource(args, signal);
  const seen: (number | null)[] = [];
  try {
    for await (const batch of source.batches({ options: {}, lines: true }, signal)) {
      void batch;
      seen.push(source.fraction());
    }
  } finally {
    await source.close();
  }
  return seen;
}

describe('the share of the rows to write', () => {
  for (const [name, source] of [['SQLite', () => `sqlite:${db}`], ['PostgreSQL', () => server.url]] as const) {
    it(`${name}: --limit N counts N as the whole`, async () => {
      const table = name === 'SQLite' ? 'big' : TABLE;
      const limited = await fractions(source(), '--table', table, '--limit', '1000');
      expect(limited.at(-1)).toBe(1);
      const whole = await fractions(source(), '--table', table, '--limit', String(ROWS * 2));
      expect(whole.at(-1)).toBeCloseTo(1, 2);
    });
  }

  it('the line on a terminal ends at 100.0%', () => {
    const command = `stty cols 100; node ${CLI} export sqlite:${db} --table big --limit 1000 -o ${join(dir, 'limited.json')}`;
    const text = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', cwd: ROOT }).stdout;
    const draws = [...text.matchAll(/\r([^\r\n]*?)\x1b\[K/g)].map((m) => m[1]);
    expect(draws.at(-1)).toMatch(/^1,000 rows {2}[\d.]+ kB {2}100\.0% /);
  });
});
