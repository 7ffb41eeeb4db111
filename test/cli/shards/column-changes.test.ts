// The columns of a plan are fixed when it is made: a column added to the table between two
// shards' runs is in none of them (every shard's records have the same members, those of the
// plan's time), and a column dropped makes the shards run after it fail, naming the column,
// instead of writing records of another shape. The oracle of the shape is the table's columns
// at the plan's time, as `sqlite3` lists them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeSkewedSqlite, readPlanJson } from '../helpers/shards.js';

let dir = '';

beforeAll(() => {
  dir = tempDir('column-changes');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sql = (db: string, text: string) => execFileSync('sqlite3', [db, text], { encoding: 'utf8' });

async function planned(name: string): Promise<{ db: string; plan: string; out: string; columns: string[] }> {
  const db = join(dir, `${name}.db`);
  makeSkewedSqlite(db, 4000);
  const columns = sql(db, "SELECT name FROM pragma_table_info('t') ORDER BY cid").trim().split('\n');
  const plan = join(dir, `${name}.plan.json`);
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '4', '--lines', '-o', plan])).toMatchObject({ status: 0, stderr: '' });
  return { db, plan, out: join(dir, name), columns };
}

const shard = (plan: string, out: string, k: number) => runCli(['export', '--plan', plan, '--shard', String(k), '-o', out]);

describe('the columns of a plan', () => {
  it('are the table\'s when the plan is made: a column added later is in no shard', async () => {
    const { db, plan, out, columns } = await planned('added');
    expect(readPlanJson(plan).columns).toEqual(columns);
    expect(await shard(plan, out, 0)).toMatchObject({ status: 0, stderr: '' });
    sql(db, "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'new'");
    for (const k of [1, 2, 3]) expect(await shard(plan, out, k)).toMatchObject({ status: 0, stderr: '' });
    for (const name of readdirSync(out).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(out, name), 'utf8').split('\n').filter((l) => l !== '')) expect(Object.keys(JSON.parse(line)), name).toEqual(columns);
    }
  });

  it('a column dropped after the plan: the shards run after it fail, naming it', async () => {
    const { db, plan, out } = await planned('dropped');
    sql(db, 'ALTER TABLE t DROP COLUMN note');
    const result = await shard(plan, out, 2);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^jsondump: .*no such column: "?note"?.*\n$/);
    expect(readdirSync(out).filter((n) => !n.startsWith('.'))).toEqual([]);
  });
});
