// Shared by the tests of sharded exports: a table whose ids have gaps and a skewed distribution
// (past 2^53 at the top), running shards as separate processes a few at a time, and reading a
// directory of shards back the way a loader would.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli, type CliResult } from './cli.js';

/**
 * Id i (1-based) of `rows`: dense with gaps for the first 60% (every third number), then
 * squares (sparse, far apart), then the last 10% past 2^53: the widths of equal-row ranges
 * differ by orders of magnitude.
 */
export function skewedIdSql(i: string, rows: number): string {
  const dense = Math.floor(rows * 0.6);
  const top = rows - Math.floor(rows / 10);
  return `CASE WHEN ${i} <= ${dense} THEN ${i} * 3 WHEN ${i} <= ${top} THEN ${i} * ${i} ELSE 9007199254740993 + ${i} END`;
}

/** An SQLite file with table `t (id INTEGER PRIMARY KEY, name TEXT, amount REAL, note TEXT)` of skewed ids, rows inserted out of key order. */
export function makeSkewedSqlite(path: string, rows: number): void {
  execFileSync('sqlite3', [path, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount REAL, note TEXT);
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${rows})
    INSERT INTO t SELECT ${skewedIdSql('i', rows)}, 'row ' || i || ' é "q" \\ 😀', i / 8.0,
      CASE WHEN i % 5 = 0 THEN NULL ELSE printf('%.20c', 'x') END FROM seq ORDER BY (i * 7919) % ${rows};`]);
}

/** Runs `argvs` as separate CLI processes, `concurrency` at a time; resolves with their results in order. */
export async function runEach(argvs: string[][], concurrency: number): Promise<CliResult[]> {
  const results: CliResult[] = new Array(argvs.length);
  let next = 0;
  const lane = async () => {
    while (next < argvs.length) {
      const i = next++;
      results[i] = await runCli(argvs[i]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

/** The parts in `dir` (every shard's, in the order a glob lists them), decompressed and joined. */
export function joinedParts(dir: string): Buffer {
  const names = readdirSync(dir).filter((n) => /^part-\d+-\d+\.jsonl?(\.gz)?$/.test(n)).sort();
  return Buffer.concat(names.map((n) => {
    const bytes = readFileSync(join(dir, n));
    return n.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  }));
}

/** Every file in `dir` and its bytes, for comparing two runs byte for byte. */
export function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n)).toString('base64')]));
}

/** `gzip -t` on every .gz part: each is a complete gzip file. */
export function gzipTestAll(dir: string): void {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.gz'))) {
    const result = spawnSync('gzip', ['-t', join(dir, name)]);
    if (result.status !== 0) throw new Error(`gzip -t ${name}: ${result.stderr.toString()}`);
  }
}

/** The plan `path` as JSON. */
export function readPlanJson(path: string): { ranges: { from: unknown; to: unknown; rows: number }[]; rows: number; key: { name: string }[]; [k: string]: unknown } {
  return JSON.parse(readFileSync(path, 'utf8'));
}
