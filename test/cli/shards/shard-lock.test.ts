// One process at a time exports a shard: the second gives up with exit status 75 and a line
// naming the holder, and the shard is complete and whole. A stale lock is taken over, with a
// warning: one of this host whose process is not running, or one of another host that has not
// been refreshed for the lease. A holder whose lock was taken over does not commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli, tempDir } from '../helpers/cli.js';
import { makeBigTable } from '../helpers/big-table.js';
import { LEASE_MS, takeLock } from '../../../src/cli/shards/lock.js';
import { joinedParts } from '../helpers/shards.js';

let dir = '';
let db = '';
let plan = '';

beforeAll(async () => {
  dir = tempDir('shard-lock');
  db = join(dir, 'big.db');
  makeBigTable(db, 150_000, 300);
  plan = join(dir, 'plan.json');
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 'big', '--shards', '2', '--lines', '-o', plan])).toMatchObject({ status: 0 });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const outDir = () => {
  const path = join(dir, `out-${seq++}`);
  mkdirSync(path);
  return path;
};

/** The id of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout as unknown as number;
}

async function expected(): Promise<Buffer> {
  const result = await runCli(['export', `sqlite:${db}`, '--table', 'big', '--order-by', 'id', '--lines', '--where', 'id < (SELECT id FROM big ORDER BY id LIMIT 1 OFFSET 75000)']);
  return Buffer.from(result.stdout);
}

describe('the lock of a shard', () => {
  it('makes a second process on the same shard give up (exit 75) while the first completes it', async () => {
    const out = outDir();
    const lock = join(out, 'part-00000.lock');
    const first = spawn(process.execPath, [CLI, 'export', '--plan', plan, '--shard', '0', '-o', out], { stdio: 'ignore' });
    const firstDone = new Promise<number | null>((resolve) => first.on('close', resolve));
    while (!existsSync(lock)) await new Promise((resolve) => setTimeout(resolve, 5));
    const holder = JSON.parse(readFileSync(lock, 'utf8'));
    expect(holder).toMatchObject({ pid: first.pid, host: hostname() });
    const second = await runCli(['export', '--plan', plan, '--shard', '0', '-o', out]);
    expect(second.status).toBe(75);
    expect(second.stderr).toBe(`jsondump: shard 0 of 2 is being exported by process ${first.pid} on ${hostname()} since ${holder.since} (${lock}): not run twice at once; if no such process runs, remove ${lock}\n`);
    expect(await firstDone).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(joinedParts(out).equals(await expected())).toBe(true);
  });

  it('takes over the lock of a process of this host that is not running', async () => {
    const out = outDir();
    const pid = Number(deadPid());
    writeFileSync(join(out, 'part-00000.lock'), JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', token: 'x' }));
    const result = await runCli(['export', '--plan', plan, '--shard', '0', '-o', out]);
    expect(result).toMatchObject({ status: 0, stdout: '' });
    expect(result.stderr).toBe(`jsondump: warning: ${join(out, 'part-00000.lock')} was stale (process ${pid} on this host is not running): taken over\n`);
    expect(joinedParts(out).equals(await expected())).toBe(true);
  });

  it('waits out the lease of a lock of another host, then takes it over', async () => {
    const out = outDir();
    const lock = join(out, 'part-00001.lock');
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere.example', since: '2026-01-01T00:00:00.000Z', token: 'y' }));
    const busy = await runCli(['export', '--plan', plan, '--shard', '1', '-o', out]);
    expect(busy.status).toBe(75);
    expect(busy.stderr).toContain('jsondump: shard 1 of 2 is being exported by process 1 on elsewhere.example since 2026-01-01T00:00:00.000Z');
    const old = new Date(Date.now() - LEASE_MS - 60_000);
    utimesSync(lock, old, old);
    const taken = await runCli(['export', '--plan', plan, '--shard', '1', '-o', out]);
    expect(taken.status).toBe(0);
    expect(taken.stderr).toMatch(/^jsondump: warning: .*part-00001\.lock was stale \(the lock of process 1 on elsewhere\.example not refreshed for 1[89]\d s \(a lock is stale after 120 s\)\): taken over\n$/);
  });

  it('a holder whose lock was taken over finds out before it commits', async () => {
    const path = join(outDir(), 'x.lock');
    const lock = await takeLock(path, 'shard 9 of 10');
    try {
      await lock.check();
      writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere.example', since: 'now', token: 'other' }));
      await expect(lock.check()).rejects.toThrow(`${path} is no longer this process's (process 1 on elsewhere.example took it over, as stale): the shard was not put in place`);
    } finally {
      await lock.release();
    }
    // not its own any more: left for its holder
    expect(JSON.parse(readFileSync(path, 'utf8')).token).toBe('other');
  });
});
