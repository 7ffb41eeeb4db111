// `--all` runs each shard in a child that reads the plan's file again: a plan replaced at that
// path while --all runs (a `jsondump plan` run again, a copy over it) must not make the later
// shards those of another plan under a run that says all is complete. The shard begun after
// the replacement refuses, naming both digests; --all begins no other and exits 1; nothing of
// the other plan is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeSkewedSqlite } from '../helpers/shards.js';

let dir = '';
let db = '';

beforeAll(() => {
  dir = tempDir('plan-replaced');
  db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, 8000);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const manifests = (out: string) => {
  try {
    return readdirSync(out).filter((n) => n.endsWith('.manifest.json'));
  } catch {
    return [];
  }
};

describe('a plan replaced while --all runs', () => {
  it('the next shard refuses it, --all exits 1, and no shard of the other plan is written', async () => {
    const plan = join(dir, 'plan.json');
    const other = join(dir, 'other.json');
    expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '16', '--lines', '--verbose', '-o', plan])).toMatchObject({ status: 0 });
    const made = await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '16', '--lines', '--where', 'id % 2 = 0', '--verbose', '-o', other]);
    const otherDigest = /plan ([0-9a-f]{12})/.exec(made.stderr)?.[1] as string;
    const out = join(dir, 'out');
    const run = runCli(['export', '--plan', plan, '--all', '--jobs', '1', '-o', out]);
    while (manifests(out).length < 1) await sleep(5);
    copyFileSync(other, plan);
    const result = await run;
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`jsondump: ${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is now plan ${otherDigest}, not the plan [0-9a-f]{12} --all began with: not run\n`));
    expect(manifests(out).length).toBeLessThan(16);
    for (const name of manifests(out)) expect(JSON.parse(readFileSync(join(out, name), 'utf8')).plan.slice(0, 12)).not.toBe(otherDigest);
  });
});
