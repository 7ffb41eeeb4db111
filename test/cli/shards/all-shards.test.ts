// `export --plan PLAN --all --jobs N`: every shard, N child processes at a time; a rerun leaves
// the complete shards and exports the others. After a failure no shard is begun, the command
// exits 1 and says to run it again; a signal is passed on to the shards running, which leave
// no file behind. Every way through ends with the same bytes as an uninterrupted run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, tempDir } from '../helpers/cli.js';
import { filesOf, joinedParts, makeSkewedSqlite } from '../helpers/shards.js';

const ROWS = 100_000;
let dir = '';
let db = '';
let plan = '';
let out = '';
let single = Buffer.alloc(0);

const all = (target: string, ...more: string[]) => runCli(['export', '--plan', plan, '--all', '-o', target, ...more]);

beforeAll(async () => {
  dir = tempDir('all-shards');
  db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, ROWS);
  plan = join(dir, 'plan.json');
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '16', '--lines', '--compress', 'gz', '-o', plan])).toMatchObject({ status: 0 });
  const whole = await runCli(['export', `sqlite:${db}`, '--table', 't', '--order-by', 'id', '--lines', '-o', join(dir, 'single.jsonl')]);
  expect(whole.status).toBe(0);
  single = readFileSync(join(dir, 'single.jsonl'));
  out = join(dir, 'out');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('export --plan PLAN --all', () => {
  it('exports every shard, four at a time, to the bytes of the single export', async () => {
    const result = await all(out, '--jobs', '4', '--verbose');
    expect(result).toMatchObject({ status: 0, stdout: '' });
    const lines = result.stderr.split('\n');
    expect(lines.filter((l) => /^jsondump: shard \d+ of 16: wrote [\d,]+ rows, /.test(l))).toHaveLength(16);
    expect(lines.at(-2)).toMatch(new RegExp(`^jsondump: 16 of 16 shards complete in ${out}: 16 exported now \\(100,000 rows, [\\d.]+ [kM]B\\), 0 complete already$`));
    expect(joinedParts(out).equals(single)).toBe(true);
  });

  it('run again, leaves every complete shard as it is and exports the others', async () => {
    const before = filesOf(out);
    const again = await all(out, '--jobs', '3', '--verbose');
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`jsondump: 16 of 16 shards complete in ${out}: 0 exported now (0 rows, 0 B), 16 complete already\n`);
    expect(filesOf(out)).toEqual(before);
    rmSync(join(out, 'part-00004.manifest.json'));
    rmSync(join(out, 'part-00011-00001.jsonl.gz'));
    const quiet = await all(out, '--jobs', '2');
    expect(quiet).toMatchObject({ status: 0, stdout: '' });
    // the shard whose manifest is gone: its part is no one's but the shard's
    expect(quiet.stderr.split('\n').sort()).toEqual([
      '',
      `jsondump: warning: ${join(out, 'part-00011-00001.jsonl.gz')}: missing: the shard is exported again`,
      `jsondump: warning: removed ${join(out, 'part-00004-00001.jsonl.gz')}: no manifest of the shard listed it`,
    ]);
    expect(filesOf(out)).toEqual(before);
  });

  it('after a shard fails, begins no other, exits 1, and a rerun goes on where it stopped', async () => {
    const target = join(dir, 'failing');
    // a directory named like shard 5's part: that shard refuses to write over it
    mkdirSync(join(target, 'part-00005-00001.jsonl.gz'), { recursive: true });
    const failed = await all(target, '--jobs', '1');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe([
      `jsondump: cannot unlink ${join(target, 'part-00005-00001.jsonl.gz')}: illegal operation on a directory`,
      `jsondump: 5 of 16 shards complete in ${target}: 5 exported now (31,250 rows, 274.1 kB), 0 complete already`,
      'jsondump: 1 shard failed (5), their messages above: run the same command again to go on where it stopped',
      '',
    ].join('\n'));
    // shards 0 to 4 are complete, 6 on were not begun
    expect(readdirSync(target).filter((n) => n.endsWith('.manifest.json'))).toHaveLength(5);
    rmdirSync(join(target, 'part-00005-00001.jsonl.gz'));
    const rerun = await all(target, '--jobs', '4', '--verbose');
    expect(rerun.status).toBe(0);
    expect(rerun.stderr).toContain('16 of 16 shards complete in');
    expect(rerun.stderr).toContain(': 11 exported now (');
    expect(filesOf(target)).toEqual(filesOf(out));
  });

  it('passes SIGTERM on to the shards running, which leave no file behind; a rerun completes the same bytes', async () => {
    const target = join(dir, 'terminated');
    const child = spawn(process.execPath, [CLI, 'export', '--plan', plan, '--all', '--jobs', '2', '-o', target], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // once two shards are complete, the next two are under way
    for (;;) {
      const names = (() => {
        try {
          return readdirSync(target);
        } catch {
          return [];
        }
      })();
      if (names.filter((n) => n.endsWith('.manifest.json')).length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGTERM');
    const status = await new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
    expect(status).toBe(143);
    expect(stderr).toMatch(/jsondump: interrupted by SIGTERM\n$/);
    // complete shards and nothing else: no lock, no hidden file, no part without its manifest
    const names = readdirSync(target);
    expect(names.filter((n) => n.startsWith('.') || n.endsWith('.lock'))).toEqual([]);
    const complete = names.filter((n) => n.endsWith('.manifest.json')).map((n) => n.slice(0, -'.manifest.json'.length));
    expect(names.filter((n) => !complete.some((stem) => n.startsWith(stem)))).toEqual([]);
    expect(complete.length).toBeLessThan(16);
    const rerun = await all(target, '--jobs', '4');
    expect(rerun).toMatchObject({ status: 0, stderr: '' });
    expect(filesOf(target)).toEqual(filesOf(out));
  });
});
