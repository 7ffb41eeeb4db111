// Shard processes killed at a random point of their run: one by SIGKILL (no chance to clean up:
// its lock and hidden files stay), one by SIGTERM (it cleans up and exits 143). `manifest verify`
// then fails; `export --plan PLAN --all` goes on where they stopped, and the directory verifies
// and holds the very bytes of an uninterrupted run (whose shards joined are the single export
// ordered by id). The point is random within the shard's writing (from its first hidden file to
// its exit, as timed on an uninterrupted run) and is printed with a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { filesOf, joinedParts, makeSkewedSqlite } from '../helpers/shards.js';

const ROWS = 100_000;
let dir = '';
let plan = '';
let whole = '';
let single = Buffer.alloc(0);
/** How long one shard's process writes, from its first hidden file to its exit, uninterrupted (ms). */
let writeMs = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `dir` holds a hidden file of shard `stem` (its run has begun writing), or `done` is set. */
async function writing(dir: string, stem: string, done: () => boolean): Promise<void> {
  const begun = () => {
    try {
      return readdirSync(dir).some((n) => n.startsWith(`.${stem}`));
    } catch {
      return false;
    }
  };
  while (!begun() && !done()) await sleep(2);
}

beforeAll(async () => {
  dir = tempDir('shard-kill');
  const db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, ROWS);
  plan = join(dir, 'plan.json');
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '16', '--lines', '--compress', 'gz', '-o', plan])).toMatchObject({ status: 0 });
  whole = join(dir, 'whole');
  let exited = false;
  const run = runCli(['export', '--plan', plan, '--shard', '3', '-o', whole]).finally(() => (exited = true));
  await writing(whole, 'part-00003', () => exited);
  const begun = Date.now();
  expect(await run).toMatchObject({ status: 0 });
  writeMs = Date.now() - begun;
  expect(await runCli(['export', '--plan', plan, '--all', '--jobs', '4', '-o', whole])).toMatchObject({ status: 0, stderr: '' });
  expect(await runCli(['export', `sqlite:${db}`, '--table', 't', '--order-by', 'id', '--lines', '-o', join(dir, 'single.jsonl')])).toMatchObject({ status: 0 });
  single = readFileSync(join(dir, 'single.jsonl'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs shard `k` into `out` and sends it `signal` `delayMs` after it began writing. */
async function killedShard(out: string, k: number, signal: NodeJS.Signals, delayMs: number): Promise<CliResult & { signal: string | null }> {
  let pid = 0;
  let exited = false;
  const run = runCli(['export', '--plan', plan, '--shard', String(k), '-o', out], { started: (started) => (pid = started) }).finally(() => (exited = true));
  await writing(out, `part-${String(k).padStart(5, '0')}`, () => exited);
  await sleep(delayMs);
  if (!exited) process.kill(pid, signal);
  const result = await run;
  // runCli reports the exit code; a process ended by a signal it did not handle has none
  return { ...result, signal: result.status === null ? signal : null };
}

describe('shard processes killed at a random point, then --all', () => {
  it('SIGKILL one, SIGTERM another: verify fails, --all completes them, the bytes are the uninterrupted run\'s', async () => {
    const out = join(dir, 'killed');
    // a point within the first half of the shard's writing (two shards at once write slower than one alone; on a loaded machine a later point let a shard finish first)
    const killAt = Math.round(writeMs * 0.5 * Math.random());
    const termAt = Math.round(writeMs * 0.5 * Math.random());
    const context = `points: SIGKILL at ${killAt} ms, SIGTERM at ${termAt} ms into the ${writeMs} ms a shard writes`;
    const [killed, terminated] = await Promise.all([killedShard(out, 3, 'SIGKILL', killAt), killedShard(out, 9, 'SIGTERM', termAt)]);
    // each was stopped before it completed (otherwise the point was too late to test anything)
    expect(killed.signal, context).toBe('SIGKILL');
    expect(terminated.status, `${context}\n${terminated.stderr}`).toBe(143);
    expect(terminated.stderr).toBe('jsondump: interrupted by SIGTERM\n');
    const names = readdirSync(out);
    expect(names, context).not.toContain('part-00003.manifest.json');
    expect(names, context).not.toContain('part-00009.manifest.json');
    // SIGTERM cleans up after itself: nothing of shard 9 is left
    expect(names.filter((n) => n.includes('part-00009')), context).toEqual([]);

    const broken = await runCli(['manifest', 'verify', out, '--plan', plan]);
    expect(broken.status, context).toBe(1);
    expect(broken.stdout).toContain(`shard 3 of 16: missing (no ${join(out, 'part-00003.manifest.json')})`);
    expect(broken.stdout).toContain(`shard 9 of 16: missing (no ${join(out, 'part-00009.manifest.json')})`);

    const rerun = await runCli(['export', '--plan', plan, '--all', '--jobs', '4', '-o', out]);
    expect(rerun.status, `${context}\n${rerun.stderr}`).toBe(0);
    // the killed process's lock (if it had taken it) is taken over, with a warning, and nothing else is said
    for (const line of rerun.stderr.split('\n').filter((l) => l !== '')) expect(line, context).toMatch(/^jsondump: warning: /);

    const verified = await runCli(['manifest', 'verify', out, '--plan', plan]);
    expect(verified, context).toMatchObject({ status: 0, stderr: '' });
    expect(filesOf(out)).toEqual(filesOf(whole));
    expect(joinedParts(out).equals(single)).toBe(true);
  });
});
