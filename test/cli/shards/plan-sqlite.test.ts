// `jsondump plan` on SQLite: N ranges of the key holding about equal rows, not equal widths.
// The oracle is Python's sqlite3 reading every key, sorting them in Python and cutting the
// sorted list at positions floor(i * rows / N); the plan's counts are checked against Python
// counting each range with the plan's own boundaries. Integer keys past 2^53 stay exact, text
// and composite keys cut where SQLite orders them, NULL keys go to the first shard, and keys
// the plan cannot write exactly are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { makeSkewedSqlite, readPlanJson } from '../helpers/shards.js';

const ROWS = 20000;
let dir = '';
let db = '';

beforeAll(() => {
  dir = tempDir('plan-sqlite');
  db = join(dir, 'skewed.db');
  makeSkewedSqlite(db, ROWS);
  execFileSync('sqlite3', [db, `
    CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 3000)
    INSERT INTO words SELECT printf('%s-%05d', substr('ßabcÉz😀', i % 7 + 1, 1), (i * 37) % 3000), i FROM seq;
    CREATE TABLE pairs (a TEXT, b INTEGER, v TEXT, PRIMARY KEY (a, b));
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 5000)
    INSERT INTO pairs SELECT CASE WHEN i % 50 = 0 THEN NULL ELSE 'k' || (i % 13) END, i * 11 % 7001, 'v' || i FROM seq;
    CREATE TABLE dup (g INTEGER, v TEXT);
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 4000)
    INSERT INTO dup SELECT CASE WHEN i < 2000 THEN 7 ELSE i / 10 END, 'v' || i FROM seq;
    CREATE TABLE reals (x REAL PRIMARY KEY, v TEXT);
    INSERT INTO reals VALUES (0.5, 'a'), (1.5, 'b'), (2.5, 'c'), (3.5, 'd');
    CREATE VIEW tv AS SELECT * FROM t;
    CREATE TABLE empty (id INTEGER PRIMARY KEY);`]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ORACLE = `
import json, sqlite3, sys
from bisect import bisect_left
path, query, n, plan_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
con = sqlite3.connect('file:' + path + '?mode=ro', uri=True)
rows = [tuple(r) for r in con.execute(query)]
nulls = sum(1 for r in rows if any(v is None for v in r))
keys = sorted(r for r in rows if not any(v is None for v in r))
def tag(v):
    if isinstance(v, int): return {'integer': str(v)}
    if isinstance(v, bytes): return {'blob': v.hex()}
    return {'text': v}
def untag(t):
    [(k, v)] = t.items()
    return int(v) if k == 'integer' else bytes.fromhex(v) if k == 'blob' else v
bounds = [[tag(v) for v in keys[i * len(keys) // n]] for i in range(1, n)] if keys else []
plan = json.load(open(plan_path))
cuts = [tuple(untag(v) for v in r['from']) for r in plan['ranges'][1:] if r.get('empty') is not True]
edges = [0] + [bisect_left(keys, c) for c in cuts] + [len(keys)]
counts = [edges[i + 1] - edges[i] for i in range(len(edges) - 1)]
counts[0] += nulls
counts += [0] * (n - len(counts))
print(json.dumps({'bounds': bounds, 'counts': counts, 'total': len(rows)}))
`;

/** Python's boundaries of `query`'s keys cut in `n`, and its count of each of the plan's ranges. */
function oracle(query: string, n: number, planPath: string): { bounds: unknown[]; counts: number[]; total: number } {
  const result = spawnSync('python3', ['-c', ORACLE, db, query, String(n), planPath], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

let seq = 0;
async function plan(...flags: string[]): Promise<{ path: string; status: number | null; stderr: string }> {
  const path = join(dir, `plan-${seq++}.json`);
  const result = await runCli(['plan', `sqlite:${db}`, ...flags, '-o', path]);
  return { path, status: result.status, stderr: result.stderr };
}

describe('jsondump plan on an SQLite table', () => {
  it('cuts skewed ids into ranges of equal rows, at the keys Python finds at those positions, past 2^53 exactly', async () => {
    for (const shards of [1, 2, 7, 16]) {
      const made = await plan('--table', 't', '--shards', String(shards));
      expect(made).toMatchObject({ status: 0, stderr: '' });
      const p = readPlanJson(made.path);
      const expected = oracle('SELECT id FROM t', shards, made.path);
      expect(p.ranges.slice(1).map((r) => r.from)).toEqual(expected.bounds);
      expect(p.ranges.slice(0, -1).map((r) => r.to)).toEqual(expected.bounds);
      expect(p.ranges.map((r) => r.rows)).toEqual(expected.counts);
      expect(p.rows).toBe(ROWS);
      const counts = p.ranges.map((r) => r.rows);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(p.key).toEqual([{ name: 'id', type: 'INTEGER', nullable: false }]);
      expect(p.unique).toBe(true);
    }
    const sixteen = readPlanJson(join(dir, `plan-${seq - 1}.json`));
    // the last range begins past 2^53, written as its digits (Python compared them exactly)
    const last = (sixteen.ranges[15].from as { integer: string }[])[0].integer;
    expect(BigInt(last)).toBeGreaterThan(2n ** 53n);
  });

  it('applies --where with its --param to the rows it counts and cuts', async () => {
    const made = await plan('--table', 't', '--shards', '5', '--where', 'id % 2 = :parity AND note IS NOT NULL', '--param', 'parity=0');
    expect(made.status).toBe(0);
    const expected = oracle('SELECT id FROM t WHERE id % 2 = 0 AND note IS NOT NULL', 5, made.path);
    const p = readPlanJson(made.path);
    expect(p.ranges.slice(1).map((r) => r.from)).toEqual(expected.bounds);
    expect(p.ranges.map((r) => r.rows)).toEqual(expected.counts);
    expect(p.params).toEqual([{ value: 'parity=0', text: false }]);
  });

  it('cuts a text key of a WITHOUT ROWID table where SQLite orders it (by its bytes)', async () => {
    const made = await plan('--table', 'words', '--shards', '6', '--lines');
    expect(made.status).toBe(0);
    const p = readPlanJson(made.path);
    const expected = oracle('SELECT word FROM words', 6, made.path);
    expect(p.key).toEqual([{ name: 'word', type: 'TEXT', nullable: false }]); // SQLite holds a WITHOUT ROWID key NOT NULL
    expect(p.ranges.slice(1).map((r) => r.from)).toEqual(expected.bounds);
    expect(p.ranges.map((r) => r.rows)).toEqual(expected.counts);
  });

  it('cuts a composite key with row values, and puts the rows whose key holds a NULL in the first shard', async () => {
    const made = await plan('--table', 'pairs', '--shards', '4');
    expect(made.status).toBe(0);
    const p = readPlanJson(made.path);
    expect(p.key.map((c) => c.name)).toEqual(['a', 'b']);
    const expected = oracle('SELECT a, b FROM pairs', 4, made.path);
    expect(p.ranges.slice(1).map((r) => r.from)).toEqual(expected.bounds);
    expect(p.ranges.map((r) => r.rows)).toEqual(expected.counts);
    expect(p.ranges[0].rows).toBeGreaterThan(p.ranges[1].rows); // the 100 NULL keys
  });

  it('takes --key, and counts each range of a key that is not unique as its shard will read it', async () => {
    const made = await plan('--table', 'dup', '--shards', '4', '--key', 'g', '--verbose');
    expect(made.status).toBe(0);
    expect(made.stderr).toMatch(/warning: the key \(g\) is not unique: rows that share a key value are in one shard/);
    const p = readPlanJson(made.path);
    expect(p.unique).toBe(false);
    expect(p.ranges.map((r) => r.rows)).toEqual(oracle('SELECT g FROM dup', 4, made.path).counts);
    expect(p.ranges.reduce((n, r) => n + r.rows, 0)).toBe(4000);
  });

  it('plans an empty table: the first shard takes every key, the others are empty', async () => {
    const made = await plan('--table', 'empty', '--shards', '3');
    expect(made.status).toBe(0);
    expect(readPlanJson(made.path).ranges).toEqual([
      { from: null, to: null, rows: 0 },
      { from: null, to: null, rows: 0, empty: true },
      { from: null, to: null, rows: 0, empty: true },
    ]);
  });

  it('is identified by the SHA-256 of its canonical JSON', async () => {
    const path = join(dir, 'digest.json');
    const result = await runCli(['plan', `sqlite:${db}`, '--table', 't', '--shards', '3', '--verbose', '-o', path]);
    const digest = /plan ([0-9a-f]{12}):/.exec(result.stderr)?.[1];
    // json.dumps with sorted keys and no white space is RFC 8785 for strings, integers and booleans
    const canonical = execFileSync('python3', ['-c', "import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), sort_keys=True, separators=(',', ':'), ensure_ascii=False))", path]);
    expect(createHash('sha256').update(canonical).digest('hex').slice(0, 12)).toBe(digest);
  });

  it('refuses, with one line, what it cannot cut', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--table', 'reals', '--shards', '2'], 1, /the key x holds a REAL \(2\.5\) at a shard boundary: jsondump cuts SQLite keys of INTEGER, TEXT and BLOB values/],
      [['--table', 'tv', '--shards', '2'], 2, /tv has no integer key \(a view or a WITHOUT ROWID table\): give --key COLUMN/],
      [['--table', 't', '--shards', '2', '--key', 'nope'], 2, /--key nope: t has no such column/],
      [['--table', 'missing', '--shards', '2'], 1, /no such table: missing/],
      [['--table', 't', '--shards', '2', '--where', 'nope > 1'], 1, /SQL error: no such column: nope/],
    ];
    for (const [flags, status, message] of cases) {
      const made = await plan(...flags);
      expect(made.stderr, flags.join(' ')).toMatch(message);
      expect(made.status).toBe(status);
      expect(made.stderr.split('\n').filter((l) => l.startsWith('jsondump:'))).toHaveLength(1);
    }
  });
});
