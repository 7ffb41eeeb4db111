// A plan of 16 shards of an SQLite table with skewed ids, run as 16 separate processes four at
// a time: each shard is the rows of its range in key order, and the shards joined in the order a
// glob lists them are byte for byte the single `jsondump export --order-by id` (JSON Lines),
// row for row in the JSON layout with split parts. A complete shard run again is left as it is
// and says so; one whose file changed, or of another plan, is exported again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { exactValues } from '../helpers/db-helpers.js';
import { filesOf, gzipTestAll, joinedParts, makeSkewedSqlite, readPlanJson, runEach } from '../helpers/shards.js';

const ROWS = 100_000;
let dir = '';
let db = '';

beforeAll(() => {
  dir = tempDir('shards-sqlite');
  db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, ROWS);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function makePlan(name: string, ...flags: string[]): Promise<string> {
  const path = join(dir, name);
  const result = await runCli(['plan', `sqlite:${db}`, '--table', 't', ...flags, '-o', path]);
  expect(result).toMatchObject({ status: 0, stderr: '' });
  return path;
}

const shardArgv = (plan: string, out: string, k: number, ...more: string[]) => ['export', '--plan', plan, '--shard', String(k), '-o', out, ...more];

async function runShards(plan: string, out: string, shards: number): Promise<void> {
  const results = await runEach(Array.from({ length: shards }, (_, k) => shardArgv(plan, out, k)), 4);
  for (const result of results) expect(result).toMatchObject({ status: 0, stderr: '', stdout: '' });
}

describe('16 shards of an SQLite table, 16 processes four at a time', () => {
  let plan = '';
  let out = '';
  let single = Buffer.alloc(0);

  beforeAll(async () => {
    plan = await makePlan('lines.json', '--shards', '16', '--lines', '--compress', 'gz');
    out = join(dir, 'lines');
    await runShards(plan, out, 16);
    const whole = await runCli(['export', `sqlite:${db}`, '--table', 't', '--order-by', 'id', '--lines', '-o', join(dir, 'single.jsonl')]);
    expect(whole.status).toBe(0);
    single = readFileSync(join(dir, 'single.jsonl'));
  });

  it('writes each shard as a numbered part and a manifest, complete gzip files', () => {
    const names = readdirSync(out).sort();
    expect(names).toEqual(Array.from({ length: 16 }, (_, k) => [`part-${String(k).padStart(5, '0')}-00001.jsonl.gz`, `part-${String(k).padStart(5, '0')}.manifest.json`]).flat());
    gzipTestAll(out);
  });

  it('joined in glob order, the shards are byte for byte the single export ordered by id', () => {
    const joined = joinedParts(out);
    expect(joined.length).toBe(single.length);
    expect(joined.equals(single)).toBe(true);
  });

  it('each manifest names its shard, its range, the first and last key it wrote, and the rows the plan counted', () => {
    const p = readPlanJson(plan);
    for (let k = 0; k < 16; k++) {
      const m = JSON.parse(readFileSync(join(out, `part-${String(k).padStart(5, '0')}.manifest.json`), 'utf8'));
      expect(m).toMatchObject({ jsondump: 'shard', shard: k, shards: 16, key: ['id'], range: { from: p.ranges[k].from, to: p.ranges[k].to }, planned: p.ranges[k].rows, rows: p.ranges[k].rows, snapshot: null });
      const lines = readFileSync(join(dir, 'single.jsonl'), 'utf8').split('\n');
      const before = p.ranges.slice(0, k).reduce((n, r) => n + r.rows, 0);
      const id = (line: string) => /^\{"id":(\d+),/.exec(line)?.[1];
      expect(m.seen).toEqual({ first: [{ integer: id(lines[before]) }], last: [{ integer: id(lines[before + m.rows - 1]) }] });
    }
  });

  it('leaves a complete shard as it is, and says so', async () => {
    const before = filesOf(out);
    const again = await runCli(shardArgv(plan, out, 5));
    expect(again).toMatchObject({ status: 0, stdout: '' });
    expect(again.stderr).toBe(`jsondump: shard 5 of 16 is complete in ${out} (6,250 rows in 1 file, checksums verified): nothing to do\n`);
    expect(filesOf(out)).toEqual(before);
  });

  it('exports a shard again when a file no longer matches its manifest, to the same bytes', async () => {
    const copy = join(dir, 'flipped');
    cpSync(out, copy, { recursive: true });
    const before = filesOf(copy);
    const part = join(copy, 'part-00007-00001.jsonl.gz');
    const bytes = readFileSync(part);
    bytes[100] ^= 0xff;
    writeFileSync(part, bytes);
    const again = await runCli(shardArgv(plan, copy, 7, '--verbose'));
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`jsondump: warning: ${part}: its sha256 is not the one its manifest lists (a changed byte): the shard is exported again\n`);
    expect(filesOf(copy)).toEqual(before);
  });

  it('replaces a shard of another plan, with a warning', async () => {
    const other = await makePlan('other.json', '--shards', '16', '--lines', '--compress', 'gz', '--where', 'id % 2 = 0');
    const copy = join(dir, 'replaced');
    expect(await runCli(shardArgv(other, copy, 3))).toMatchObject({ status: 0, stderr: '' });
    const again = await runCli(shardArgv(plan, copy, 3));
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/^jsondump: warning: .*part-00003\.manifest\.json was of another plan \([0-9a-f]{12}\): replaced\n$/);
    expect(readFileSync(join(copy, 'part-00003-00001.jsonl.gz')).equals(readFileSync(join(out, 'part-00003-00001.jsonl.gz')))).toBe(true);
  });

  it('reads the plan\'s table through a source given at run time (the file at another path)', async () => {
    const moved = join(dir, 'moved.db');
    copyFileSync(db, moved);
    const copy = join(dir, 'moved');
    const result = await runCli(['export', `sqlite://${moved}`, '--plan', plan, '--shard', '9', '-o', copy]);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(join(copy, 'part-00009-00001.jsonl.gz')).equals(readFileSync(join(out, 'part-00009-00001.jsonl.gz')))).toBe(true);
  });

  it('refuses a shard the plan does not have, and a source of another kind', async () => {
    expect(await runCli(shardArgv(plan, join(dir, 'x'), 16))).toMatchObject({ status: 2, stderr: expect.stringContaining(`jsondump: --shard 16: the plan ${plan} has 16 shards, 0 to 15\n`) });
    expect(await runCli(['export', 'postgres://h/db', '--plan', plan, '--shard', '1'])).toMatchObject({ status: 2, stderr: expect.stringContaining(`postgres://h/db is not an SQLite source, as the plan's sqlite:${db} is`) });
  });
});

describe('other layouts', () => {
  it('JSON documents cut by --split-rows: every shard\'s parts hold the single export\'s rows, row for row', async () => {
    const plan = await makePlan('json.json', '--shards', '7', '--split-rows', '4000', '--indent', '2');
    const out = join(dir, 'json');
    await runShards(plan, out, 7);
    const parts = readdirSync(out).filter((n) => n.endsWith('.json') && !n.includes('manifest')).sort();
    expect(parts.filter((n) => n.startsWith('part-00000-'))).toEqual(['part-00000-00001.json', 'part-00000-00002.json', 'part-00000-00003.json', 'part-00000-00004.json']);
    const rows: unknown[] = [];
    for (const name of parts) rows.push(...((await exactValues(readFileSync(join(out, name), 'utf8')))[0] as unknown[]));
    const whole = await runCli(['export', `sqlite:${db}`, '--table', 't', '--order-by', 'id']);
    expect(rows).toEqual((await exactValues(whole.stdout))[0]);
  });

  it('--arrays: every part begins with the header; the rows are the single export\'s', async () => {
    const plan = await makePlan('arrays.json', '--shards', '3', '--arrays', '--lines', '--columns', 'note,id');
    const out = join(dir, 'arrays');
    await runShards(plan, out, 3);
    const whole = (await runCli(['export', `sqlite:${db}`, '--table', 't', '--order-by', 'id', '--arrays', '--lines', '--columns', 'note,id'])).stdout.split('\n');
    const shards = readdirSync(out).filter((n) => n.endsWith('.jsonl')).sort().map((n) => readFileSync(join(out, n), 'utf8').split('\n'));
    for (const lines of shards) expect(lines[0]).toBe('["note","id"]');
    expect(shards.flatMap((lines) => lines.slice(1, -1))).toEqual(whole.slice(1, -1));
    const m = JSON.parse(readFileSync(join(out, 'part-00001.manifest.json'), 'utf8'));
    expect(m.seen.first).toEqual([{ integer: expect.stringMatching(/^\d+$/) }]);
  });
});
