// `jsondump manifest verify DIR [--plan PLAN]`: exit 0 only when every shard of the plan is
// there, every file matches its manifest, the ranges meet from the lowest key to past the
// highest and nothing else is in DIR; otherwise one line per problem on stdout and exit 1. Each
// defect is made on a copy of a complete directory: a missing shard, a truncated file (which
// `gzip -t` refuses too), a flipped byte, a stray file, a shard of another plan, a range moved,
// a lock and a hidden file of a run under way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeSkewedSqlite } from '../helpers/shards.js';

let dir = '';
let db = '';
let plan = '';
let other = '';
let out = '';
let otherOut = '';
let digest = '';

beforeAll(async () => {
  dir = tempDir('verify-shards');
  db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, 5000);
  plan = join(dir, 'plan.json');
  other = join(dir, 'other.json');
  const made = await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '5', '--lines', '--compress', 'gz', '--verbose', '-o', plan]);
  digest = /plan ([0-9a-f]{12})/.exec(made.stderr)?.[1] as string;
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '5', '--lines', '--compress', 'gz', '-o', other])).toMatchObject({ status: 0 });
  out = join(dir, 'out');
  otherOut = join(dir, 'other');
  expect(await runCli(['export', '--plan', plan, '--all', '-o', out])).toMatchObject({ status: 0 });
  expect(await runCli(['export', '--plan', other, '--all', '-o', otherOut])).toMatchObject({ status: 0 });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** A copy of the complete directory, changed by `damage`. */
function damaged(damage: (path: string) => void): string {
  const path = join(dir, `case-${seq++}`);
  cpSync(out, path, { recursive: true });
  damage(path);
  return path;
}

const verify = (path: string, ...more: string[]) => runCli(['manifest', 'verify', path, ...more]);

describe('manifest verify', () => {
  it('passes a complete directory, with or without its plan', async () => {
    const clean = await verify(out);
    expect(clean).toMatchObject({ status: 0, stderr: '' });
    expect(clean.stdout).toMatch(new RegExp(`^${out}: 5 shards of plan ${digest}, 5,000 rows in 5 files, [\\d.]+ kB: complete\\n$`));
    expect(await verify(out, '--plan', plan)).toMatchObject({ status: 0, stdout: clean.stdout });
    expect(await verify(out, '-q')).toMatchObject({ status: 0, stdout: '' });
  });

  const cases: [string, (path: string) => void, (path: string) => string[]][] = [
    ['a missing shard', (p) => {
      rmSync(join(p, 'part-00002.manifest.json'));
      rmSync(join(p, 'part-00002-00001.jsonl.gz'));
    }, (p) => [`shard 2 of 5: missing (no ${p}/part-00002.manifest.json)`]],
    ['a truncated file', (p) => truncateSync(join(p, 'part-00001-00001.jsonl.gz'), 100), (p) => [expect.stringMatching(new RegExp(`^${p}/part-00001-00001\\.jsonl\\.gz: 100 bytes, not the [\\d,]+ its manifest lists \\(truncated\\)$`)) as unknown as string]],
    ['a flipped byte', (p) => {
      const path = join(p, 'part-00003-00001.jsonl.gz');
      const bytes = readFileSync(path);
      bytes[bytes.length >> 1] ^= 0x01;
      writeFileSync(path, bytes);
    }, (p) => [`${p}/part-00003-00001.jsonl.gz: its sha256 is not the one its manifest lists (a changed byte)`]],
    ['a stray file', (p) => writeFileSync(join(p, 'notes.txt'), 'x'), (p) => [`${p}/notes.txt: a stray file (no shard's manifest lists it; keep each export in a directory of its own)`]],
    ['a shard of another plan', (p) => {
      for (const name of ['part-00003.manifest.json', 'part-00003-00001.jsonl.gz']) cpSync(join(otherOut, name), join(p, name));
    }, (p) => [expect.stringMatching(new RegExp(`^${p}/part-00003\\.manifest\\.json: shard 3 of another plan \\([0-9a-f]{12}, not the others' ${digest}\\)$`)) as unknown as string]],
    ['a range moved', (p) => {
      const path = join(p, 'part-00002.manifest.json');
      const m = JSON.parse(readFileSync(path, 'utf8'));
      const from = BigInt(m.range.from[0].integer);
      m.range.from = [{ integer: String(from + 3n) }];
      writeFileSync(path, JSON.stringify(m));
    }, (p) => [
      expect.stringMatching(new RegExp(`^${p}/part-00002\\.manifest\\.json: its first key \\(\\d+\\) is before its range, which begins at \\(\\d+\\)$`)) as unknown as string,
      expect.stringMatching(/^shards 1 and 2: a gap: shard 1 ends before \(\d+\), shard 2 begins at \(\d+\)$/) as unknown as string,
    ]],
    ['a shard being exported', (p) => {
      writeFileSync(join(p, 'part-00004.lock'), '{}');
      writeFileSync(join(p, '.part-00004-00001.jsonl.gz.123.0123456789ab.part'), 'x');
    }, (p) => [
      `${p}/.part-00004-00001.jsonl.gz.123.0123456789ab.part: left by an unfinished run (the next run of its shard removes it)`,
      `${p}/part-00004.lock: shard 4 is being exported, or a run of it was killed (its next run takes over a stale lock)`,
    ]],
  ];
  for (const [what, damage, problems] of cases) {
    it(`catches ${what}: one line each, exit 1`, async () => {
      const path = damaged(damage);
      const result = await verify(path);
      expect(result).toMatchObject({ status: 1, stderr: '' });
      const lines = result.stdout.split('\n');
      expect(lines.slice(0, -2)).toEqual(problems(path));
      expect(lines.slice(-2)).toEqual([`${path}: ${problems(path).length === 1 ? '1 problem' : `${problems(path).length} problems`}`, '']);
    });
  }

  it('gzip -t refuses the truncated file too', () => {
    const path = damaged((p) => truncateSync(join(p, 'part-00001-00001.jsonl.gz'), 100));
    expect(spawnSync('gzip', ['-t', join(path, 'part-00001-00001.jsonl.gz')]).status).not.toBe(0);
  });

  it('--plan holds the directory to that plan: shards of another are named as such', async () => {
    const result = await verify(out, '--plan', other);
    expect(result.status).toBe(1);
    const lines = result.stdout.split('\n').slice(0, -2);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${out}/part-0000\\d\\.manifest\\.json: shard \\d of another plan \\(${digest}, not ${other} [0-9a-f]{12}\\)$`));
  });

  it('accepts its own plan and a merged manifest of it inside the directory, and refuses a directory that is not there', async () => {
    const path = damaged((p) => cpSync(plan, join(p, 'plan.json')));
    expect(await runCli(['manifest', 'merge', path, '-o', join(path, 'manifest.json')])).toMatchObject({ status: 0, stderr: '' });
    expect(await verify(path)).toMatchObject({ status: 0 });
    expect(await verify(join(dir, 'nowhere'))).toMatchObject({ status: 1, stdout: '', stderr: `jsondump: cannot read ${join(dir, 'nowhere')}: no such directory\n` });
  });
});
