// A disk that fills while the shards are written: a small tmpfs mounted for the test (root is
// available here and in CI), most of it taken by a filler file. `--all` fails with one line
// naming the full disk and leaves no file that a complete shard's manifest does not list; once
// the filler is removed, the same command goes on where it stopped, and the directory verifies
// and holds the bytes of an uninterrupted run on an ordinary disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { filesOf, makeSkewedSqlite } from '../helpers/shards.js';

const ROWS = 100_000;
// the 16 shards take about 880 kB; the filler leaves about 300 kB of the disk free
const DISK = '2m';
const FILLER_BYTES = 1_750_000;

let dir = '';
let plan = '';
let whole = '';
let disk = '';
let mounted = false;

beforeAll(async () => {
  dir = tempDir('full-disk');
  const db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, ROWS);
  plan = join(dir, 'plan.json');
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '16', '--lines', '--compress', 'gz', '-o', plan])).toMatchObject({ status: 0 });
  whole = join(dir, 'whole');
  expect(await runCli(['export', '--plan', plan, '--all', '--jobs', '4', '-o', whole])).toMatchObject({ status: 0, stderr: '' });
  disk = join(dir, 'disk');
  mkdirSync(disk);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK}`, 'tmpfs', disk]);
  mounted = true;
});

afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
  rmSync(dir, { recursive: true, force: true });
});

describe('a disk that fills mid-shard', () => {
  it('fails with one line, leaves only complete shards, and a rerun once freed ends with the uninterrupted bytes', async () => {
    const filler = join(disk, 'filler');
    writeFileSync(filler, Buffer.alloc(FILLER_BYTES, 1));
    const out = join(disk, 'out');
    const full = await runCli(['export', '--plan', plan, '--all', '--jobs', '4', '-o', out]);
    expect(full.status).toBe(1);
    const lines = full.stderr.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => /no space left on device/i.test(l)).length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^jsondump: \d+ shards? failed \([\d, ]+\), their messages above: run the same command again to go on where it stopped$/);
    // complete shards and nothing else: no lock, no hidden file, no part without its manifest
    const names = readdirSync(out);
    expect(names.filter((n) => n.startsWith('.') || n.endsWith('.lock'))).toEqual([]);
    const complete = names.filter((n) => n.endsWith('.manifest.json')).map((n) => n.slice(0, -'.manifest.json'.length));
    expect(complete.length).toBeLessThan(16);
    expect(names.filter((n) => !complete.some((stem) => n.startsWith(`${stem}-`) || n === `${stem}.manifest.json`))).toEqual([]);
    const broken = await runCli(['manifest', 'verify', out, '--plan', plan]);
    expect(broken.status).toBe(1);

    rmSync(filler);
    const rerun = await runCli(['export', '--plan', plan, '--all', '--jobs', '4', '--verbose', '-o', out]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`16 of 16 shards complete in ${out}: ${16 - complete.length} exported now (`);
    expect(rerun.stderr).toContain(`, ${complete.length} complete already\n`);
    expect(await runCli(['manifest', 'verify', out, '--plan', plan])).toMatchObject({ status: 0, stderr: '' });
    expect(filesOf(out)).toEqual(filesOf(whole));
  });
});
