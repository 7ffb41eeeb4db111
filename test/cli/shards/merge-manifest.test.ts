// `jsondump manifest merge DIR -o MANIFEST.json`: the one manifest a loader reads, every file in
// shard order with its rows, bytes and sha256 (checked against `sha256sum` and `zcat | wc -l`),
// names relative to the manifest itself, the totals and the plan's digest. A directory that does
// not verify is refused, its problems named, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeSkewedSqlite } from '../helpers/shards.js';

let dir = '';
let out = '';

beforeAll(async () => {
  dir = tempDir('merge-manifest');
  const db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, 8000);
  const plan = join(dir, 'plan.json');
  expect(await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '4', '--lines', '--compress', 'gz', '--split-rows', '900', '-o', plan])).toMatchObject({ status: 0 });
  out = join(dir, 'out');
  expect(await runCli(['export', '--plan', plan, '--all', '-o', out])).toMatchObject({ status: 0 });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('manifest merge', () => {
  for (const where of ['inside', 'beside'] as const) {
    it(`lists every file in shard order, as sha256sum and zcat count them (the manifest ${where} the directory)`, async () => {
      const path = where === 'inside' ? join(out, 'manifest.json') : join(dir, 'all.manifest.json');
      const result = await runCli(['manifest', 'merge', out, '-o', path, '--verbose']);
      expect(result).toMatchObject({ status: 0, stdout: '', stderr: `jsondump: ${path}: 12 files of 4 shards, 8,000 rows\n` });
      const merged = JSON.parse(readFileSync(path, 'utf8'));
      expect(Object.keys(merged)).toEqual(['files', 'rows', 'bytes', 'jsondump', 'plan', 'shards', 'key']);
      expect(merged).toMatchObject({ jsondump: 'manifest', shards: 4, key: ['id'], rows: 8000 });
      const first = JSON.parse(readFileSync(join(out, 'part-00000.manifest.json'), 'utf8'));
      expect(merged.plan).toBe(first.plan);
      const names = merged.files.map((f: { name: string }) => f.name);
      expect(names).toEqual([...names].sort());
      expect(merged.files.map((f: { shard: number }) => f.shard)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
      for (const file of merged.files) {
        const at = resolve(dirname(path), file.name);
        expect(file.name.startsWith(where === 'inside' ? 'part-' : 'out/part-')).toBe(true);
        expect(execFileSync('sha256sum', [at], { encoding: 'utf8' }).split(' ')[0]).toBe(file.sha256);
        expect(Number(execFileSync('sh', ['-c', 'zcat "$1" | wc -l', 'sh', at], { encoding: 'utf8' }).trim())).toBe(file.rows);
        expect(readFileSync(at).length).toBe(file.bytes);
      }
      expect(merged.bytes).toBe(merged.files.reduce((n: number, f: { bytes: number }) => n + f.bytes, 0));
      if (where === 'inside') rmSync(path);
    });
  }

  it('refuses a directory that does not verify, naming its problems, and writes nothing', async () => {
    rmSync(join(out, 'part-00002.manifest.json'));
    const path = join(dir, 'refused.json');
    const result = await runCli(['manifest', 'merge', out, '-o', path]);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `jsondump: shard 2 of 4: missing (no ${out}/part-00002.manifest.json)`,
      `jsondump: ${out}/part-00002-00001.jsonl.gz: named like a part of shard 2, but its manifest does not list it`,
      `jsondump: ${out}/part-00002-00002.jsonl.gz: named like a part of shard 2, but its manifest does not list it`,
      `jsondump: ${out}/part-00002-00003.jsonl.gz: named like a part of shard 2, but its manifest does not list it`,
      `jsondump: nothing merged: ${out} does not verify (4 problems above)`,
      '',
    ]);
    expect(existsSync(path)).toBe(false);
  });
});
