// Rows inserted and deleted between `jsondump plan` and the shards, as the README's
// "Consistency" says: every row whose key does not change is in exactly one shard, the one whose
// range holds its key (the ranges are open at both ends: a key below the lowest or past the
// highest the plan saw still has a shard); the shards joined are the table as the shards read it
// (here: the single export after the changes); `manifest verify` passes and notes each shard
// whose rows differ from the plan's count. A row whose key moves between two shards' runs from a
// range already read to one not yet read is written twice, and the other way round not at all:
// verify's notes show both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeSkewedSqlite, readPlanJson, runEach } from '../helpers/shards.js';

const ROWS = 20_000;
const SHARDS = 8;
let dir = '';

beforeAll(() => {
  dir = tempDir('table-changes');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sql = (db: string, text: string) => execFileSync('sqlite3', [db, text]);
const stem = (k: number) => `part-${String(k).padStart(5, '0')}`;

/** A fresh table and its plan of 8 shards (JSON Lines, uncompressed: read back as text). */
async function planned(name: string): Promise<{ db: string; plan: string; out: string }> {
  const db = join(dir, `${name}.db`);
  makeSkewedSqlite(db, ROWS);
  const plan = join(dir, `${name}.plan.json`);
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', String(SHARDS), '--lines', '-o', plan])).toMatchObject({ status: 0, stderr: '' });
  return { db, plan, out: join(dir, name) };
}

/** The ids of shard k's rows, in file order, as exact integers. */
function idsOf(out: string, k: number): bigint[] {
  const names = readdirSync(out).filter((n) => n.startsWith(`${stem(k)}-`)).sort();
  const lines = names.flatMap((n) => readFileSync(join(out, n), 'utf8').split('\n').filter((l) => l !== ''));
  return lines.map((l) => BigInt((/^\{"id":(-?\d+),/.exec(l) as RegExpExecArray)[1]));
}

const bound = (tuple: unknown) => (tuple === null ? null : BigInt((tuple as { integer: string }[])[0].integer));

/** The single export of the table as it is now, ordered by id, as text. */
async function singleNow(db: string, name: string): Promise<string> {
  const path = join(dir, `${name}.single.jsonl`);
  expect(await runCli(['export', `sqlite:${db}`, '--table', 't', '--order-by', 'id', '--lines', '-o', path])).toMatchObject({ status: 0 });
  return readFileSync(path, 'utf8');
}

const joined = (out: string) => Array.from({ length: SHARDS }, (_, k) => readdirSync(out).filter((n) => n.startsWith(`${stem(k)}-`)).sort().map((n) => readFileSync(join(out, n), 'utf8')).join('')).join('');

const runShards = async (plan: string, out: string, shards: number[]) => {
  for (const result of await runEach(shards.map((k) => ['export', '--plan', plan, '--shard', String(k), '-o', out]), 4)) expect(result).toMatchObject({ status: 0, stderr: '' });
};

describe('rows inserted and deleted between the plan and the shards', () => {
  it('no row twice, none outside its shard\'s range, the shards are the table as it is; verify notes what changed', async () => {
    const { db, plan, out } = await planned('changed');
    const p = readPlanJson(plan);
    const first = (k: number) => bound(p.ranges[k].from) as bigint;
    // below the lowest key and past the highest (shards 0 and 7), in the middle of shard 3, at
    // shard 5's first key (deleted, then a new row there), and 100 rows deleted from shard 2
    sql(db, `INSERT INTO t (id, name) VALUES (-5, 'below'), (9223372036854775000, 'past'), (${first(3) + 1n}, 'middle');
      DELETE FROM t WHERE id = ${first(5)}; INSERT INTO t (id, name) VALUES (${first(5)}, 'replaced');
      DELETE FROM t WHERE id IN (SELECT id FROM t WHERE id >= ${first(2)} AND id < ${first(3)} ORDER BY id LIMIT 100);`);
    await runShards(plan, out, [...Array(SHARDS).keys()]);

    const seen = new Set<bigint>();
    for (let k = 0; k < SHARDS; k++) {
      const [from, to] = [bound(p.ranges[k].from), bound(p.ranges[k].to)];
      for (const id of idsOf(out, k)) {
        expect(seen.has(id), `id ${id} twice`).toBe(false);
        seen.add(id);
        expect(from === null || id >= from, `id ${id} before shard ${k}'s range`).toBe(true);
        expect(to === null || id < to, `id ${id} past shard ${k}'s range`).toBe(true);
      }
    }
    expect(joined(out)).toBe(await singleNow(db, 'changed'));

    const verified = await runCli(['manifest', 'verify', out, '--plan', plan]);
    expect(verified.status, verified.stdout).toBe(0);
    const notes = verified.stdout.split('\n').filter((l) => l.startsWith('note: '));
    const count = (k: number) => idsOf(out, k).length.toLocaleString('en-US');
    expect(notes).toEqual([
      `note: shard 0: ${count(0)} rows, 1 more than the plan counted in its range`,
      `note: shard 2: ${count(2)} rows, 100 fewer than the plan counted in its range`,
      `note: shard 3: ${count(3)} rows, 1 more than the plan counted in its range`,
      `note: shard 7: ${count(7)} rows, 1 more than the plan counted in its range`,
      `note: ${(ROWS - 97).toLocaleString('en-US')} rows in all, 97 fewer than the plan's ${ROWS.toLocaleString('en-US')}: rows were inserted, deleted or moved to other keys since the plan (each shard reads the table as it is when it runs)`,
    ]);
  });

  it('a key that moves between two shards\' runs: to a range not yet read, the row is written twice; the other way, not at all', async () => {
    const { db, plan, out } = await planned('moved');
    const p = readPlanJson(plan);
    const first = (k: number) => bound(p.ranges[k].from) as bigint;
    await runShards(plan, out, [1]);
    // a row of shard 1 (already written) moves to a free key of shard 6; one of shard 6 to a free key of shard 1
    const fromOne = first(1) + 3n;
    const fromSix = first(6);
    const freeInSix = first(6) + 1n;
    const freeInOne = first(1) + 1n;
    sql(db, `UPDATE t SET id = ${freeInSix} WHERE id = ${fromOne}; UPDATE t SET id = ${freeInOne} WHERE id = ${fromSix};`);
    await runShards(plan, out, [0, 2, 3, 4, 5, 6, 7]);
    const all = Array.from({ length: SHARDS }, (_, k) => idsOf(out, k)).flat();
    // the row that was at fromOne: in shard 1 under its old key and in shard 6 under its new one
    expect(all.filter((id) => id === fromOne || id === freeInSix)).toEqual([fromOne, freeInSix]);
    // the row that was at fromSix: in neither (shard 1 was read before it moved there)
    expect(all.filter((id) => id === fromSix || id === freeInOne)).toEqual([]);
    const verified = await runCli(['manifest', 'verify', out, '--plan', plan]);
    expect(verified.status, verified.stdout).toBe(0);
    // shard 6 lost one row and gained one: its count is the plan's, and nothing can tell
    expect(verified.stdout.split('\n').filter((l) => l.startsWith('note: '))).toEqual([]);
  });
});
