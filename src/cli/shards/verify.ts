// `jsondump manifest verify DIR [--plan PLAN]`: the shards in DIR make one whole export. Every
// shard of the plan is there with its manifest, every file its manifest lists is there with its
// size and sha256, the ranges meet end to start from the lowest key to past the highest, the
// keys each shard wrote are within its range, the rows add up, and nothing else is in DIR. The
// manifests alone say all this (each records K, N, its range and the plan's digest); --plan also
// holds them to that plan. Rows the plan counted and rows written differ when the table was
// written meanwhile: each such shard is a note, not a problem (each shard reads its own snapshot).
import * as fsp from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SourceError } from '../errors.js';
import { counted, formatBytes, formatCount } from '../progress.js';
import { readPlan, shortDigest, type KeyTuple, type LoadedPlan, type PlanRange } from './plan-file.js';
import { fileProblems, readShardManifest, type ShardManifest, type ShardRange } from './shard-manifest.js';
import { SHARD_LOCK, SHARD_MANIFEST, shardStem } from './shard-names.js';

export interface Verdict {
  problems: string[];
  notes: string[];
  /** The plan's digest the shards are held to, or null when there is none. */
  digest: string | null;
  shards: number;
  /** The manifests of that plan, by shard. */
  manifests: Map<number, ShardManifest>;
}

interface Found {
  name: string;
  manifest: ShardManifest;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The digest most manifests name (the first shard's among equals). */
function commonDigest(found: Found[]): string | null {
  const counts = new Map<string, number>();
  for (const { manifest } of [...found].sort((a, b) => a.manifest.shard - b.manifest.shard)) counts.set(manifest.plan, (counts.get(manifest.plan) ?? 0) + 1);
  let best: string | null = null;
  for (const [digest, n] of counts) if (best === null || n > (counts.get(best) as number)) best = digest;
  return best;
}

/** -1, 0, 1 for two key tuples of integers; null when either holds anything else. */
function compareIntegers(a: KeyTuple, b: KeyTuple): number | null {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!('integer' in x) || !('integer' in y)) return null;
    const d = BigInt(x.integer) - BigInt(y.integer);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  return 0;
}

const show = (tuple: KeyTuple) => tuple.map((v) => Object.values(v)[0]).join(', ');

/** How shard a's range ends and shard b's (the next that holds keys) begins, when they do not meet. */
function seam(a: number, b: number, to: KeyTuple | null, from: KeyTuple | null): string | null {
  if (same(to, from)) return null;
  const end = to === null ? 'past the highest key' : `before (${show(to)})`;
  const start = from === null ? 'at the lowest key' : `at (${show(from)})`;
  const order = to !== null && from !== null ? compareIntegers(to, from) : null;
  const what = to === null || from === null ? 'an overlap' : order === null ? 'a gap or an overlap' : order < 0 ? 'a gap' : 'an overlap';
  return `shards ${a} and ${b}: ${what}: shard ${a} ends ${end}, shard ${b} begins ${start}`;
}

/**
 * The ranges of the shards present meet end to start, from the lowest key to past the highest.
 * Where a shard is missing its neighbours are not compared (it is reported missing).
 */
function coverageProblems(manifests: Map<number, ShardManifest>, shards: number): string[] {
  const problems: string[] = [];
  const open = [...manifests.values()].filter((m) => m.range.empty !== true).sort((a, b) => a.shard - b.shard);
  if (open.length === 0) return problems;
  const present = (from: number, to: number) => [...Array(Math.max(0, to - from)).keys()].every((i) => manifests.has(from + i));
  const [first, last] = [open[0], open[open.length - 1]];
  if (present(0, first.shard) && first.range.from !== null) problems.push(`shard ${first.shard}: its range begins at (${show(first.range.from)}), not at the lowest key`);
  if (present(last.shard + 1, shards) && last.range.to !== null) problems.push(`shard ${last.shard}: its range ends before (${show(last.range.to)}), not past the highest key`);
  for (let i = 1; i < open.length; i++) {
    const [a, b] = [open[i - 1], open[i]];
    if (!present(a.shard + 1, b.shard)) continue;
    const problem = seam(a.shard, b.shard, a.range.to, b.range.from);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/** The keys a shard wrote lie within its range (checked for integer keys). */
function seenProblems(path: string, m: ShardManifest): string[] {
  const { first, last } = m.seen;
  if (first === null || last === null || !Array.isArray(first) || !Array.isArray(last)) return [];
  const problems: string[] = [];
  const { from, to } = m.range;
  const before = (a: KeyTuple, b: KeyTuple) => (compareIntegers(a, b) ?? 0) < 0;
  if (from !== null && before(first, from)) problems.push(`${path}: its first key (${show(first)}) is before its range, which begins at (${show(from)})`);
  if (to !== null && !before(last, to) && compareIntegers(last, to) !== null) problems.push(`${path}: its last key (${show(last)}) is past its range, which ends before (${show(to)})`);
  if (before(last, first)) problems.push(`${path}: its last key (${show(last)}) is before its first (${show(first)})`);
  return problems;
}

function rangeOf(range: PlanRange): ShardRange {
  return range.empty === true ? { from: null, to: null, empty: true } : { from: range.from, to: range.to };
}

/** Rows written against rows the plan counted: notes, as each shard reads its own snapshot. */
function rowNotes(manifests: Map<number, ShardManifest>): string[] {
  const notes: string[] = [];
  let written = 0;
  let planned = 0;
  for (const m of [...manifests.values()].sort((a, b) => a.shard - b.shard)) {
    written += m.rows;
    planned += m.planned;
    const d = m.rows - m.planned;
    if (d !== 0) notes.push(`shard ${m.shard}: ${counted(m.rows, 'row')}, ${formatCount(Math.abs(d))} ${d > 0 ? 'more' : 'fewer'} than the plan counted in its range`);
  }
  if (written !== planned) {
    notes.push(`${counted(written, 'row')} in all, ${formatCount(Math.abs(written - planned))} ${written > planned ? 'more' : 'fewer'} than the plan's ${formatCount(planned)}: rows were inserted, deleted or moved to other keys since the plan (each shard reads the table as it is when it runs)`);
  }
  const snapshots = new Set([...manifests.values()].map((m) => m.snapshot));
  if (snapshots.size > 1) notes.push(`the shards read ${snapshots.size} different snapshots (${[...snapshots].map((s) => s ?? 'their own').join(', ')})`);
  return notes;
}

/** Whether the file at `path` is a plan or a merged manifest of `digest` (small JSON files only). */
async function belongs(path: string, digest: string | null): Promise<boolean> {
  const stats = await fsp.stat(path).catch(() => null);
  if (stats === null || !stats.isFile() || stats.size > 64 * 2 ** 20) return false;
  let value: { jsondump?: unknown; plan?: unknown };
  try {
    value = JSON.parse(await fsp.readFile(path, 'utf8')) as typeof value;
  } catch {
    return false;
  }
  if (value?.jsondump === 'manifest') return value.plan === digest;
  if (value?.jsondump === 'plan') {
    try {
      return readPlan(path).digest === digest;
    } catch {
      return false;
    }
  }
  return false;
}

/** What a file in DIR that no manifest lists is. */
function strayProblem(dir: string, name: string, shards: number): string {
  const path = join(dir, name);
  const lock = SHARD_LOCK.exec(name);
  if (lock !== null) {
    const k = Number(lock[1]);
    return `${path}: shard ${k} is being exported, or a run of it was killed (its next run takes over a stale lock)`;
  }
  if (name.startsWith('.') && /\.(?:part|old|tmp|new|stale)$/.test(name)) return `${path}: left by an unfinished run (the next run of its shard removes it)`;
  const part = /^part-(\d+)-/.exec(name);
  if (part !== null && Number(part[1]) < shards) return `${path}: named like a part of shard ${Number(part[1])}, but its manifest does not list it`;
  return `${path}: a stray file (no shard's manifest lists it; keep each export in a directory of its own)`;
}

/** Checks DIR; `hash`: read every file and compare its sha256 (merge checks sizes only). */
export async function verifyDir(dir: string, planPath: string | null, hash: boolean): Promise<Verdict> {
  let entries: string[];
  try {
    entries = (await fsp.readdir(dir)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read ${dir}: ${code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : (error as Error).message}`);
  }
  const loaded: LoadedPlan | null = planPath === null ? null : readPlan(planPath);
  const problems: string[] = [];
  const found: Found[] = [];
  const claimed = new Set<string>();
  for (const name of entries.filter((n) => SHARD_MANIFEST.test(n))) {
    const manifest = await readShardManifest(join(dir, name));
    if (typeof manifest === 'string' || manifest === null) {
      problems.push(`${join(dir, name)}: ${manifest ?? 'gone'} `.trimEnd());
      claimed.add(name);
      continue;
    }
    found.push({ name, manifest });
    claimed.add(name);
    for (const file of manifest.files) claimed.add(file.name);
  }
  const digest = loaded?.digest ?? commonDigest(found);
  const shards = loaded?.plan.shards ?? found.find((f) => f.manifest.plan === digest)?.manifest.shards ?? 0;
  const manifests = new Map<number, ShardManifest>();
  /** Shards whose place holds a manifest of another plan: reported as such, not as missing too. */
  const otherPlan = new Set<string>();
  for (const { name, manifest } of found) {
    const path = join(dir, name);
    if (manifest.plan !== digest) {
      otherPlan.add(name);
      problems.push(`${path}: shard ${manifest.shard} of another plan (${shortDigest(manifest.plan)}, not ${loaded === null ? 'the others\'' : loaded.path} ${shortDigest(digest as string)})`);
    } else if (name !== `${shardStem(manifest.shard, manifest.shards)}.manifest.json` || manifest.shards !== shards || manifest.shard >= shards) {
      problems.push(`${path}: the manifest of shard ${manifest.shard} of ${manifest.shards}, under another shard's name or of another count of shards`);
    } else if (manifests.has(manifest.shard)) {
      problems.push(`${path}: a second manifest of shard ${manifest.shard}`);
    } else {
      manifests.set(manifest.shard, manifest);
    }
  }
  if (found.length === 0 && loaded === null) problems.push(`${dir}: no shard manifest (part-K.manifest.json) is there`);
  for (let k = 0; k < shards; k++) {
    if (!manifests.has(k) && !otherPlan.has(`${shardStem(k, shards)}.manifest.json`)) problems.push(`shard ${k} of ${shards}: missing (no ${join(dir, `${shardStem(k, shards)}.manifest.json`)})`);
  }
  for (const [k, m] of [...manifests].sort((a, b) => a[0] - b[0])) {
    const path = join(dir, `${shardStem(k, shards)}.manifest.json`);
    const stem = `${shardStem(k, shards)}-`;
    for (const file of m.files) if (!file.name.startsWith(stem) || basename(file.name) !== file.name) problems.push(`${path}: it lists ${JSON.stringify(file.name)}, which is not a part of shard ${k}`);
    problems.push(...(await fileProblems(dir, m, hash)).map((p) => (p.startsWith(dir) ? p : `${path}: ${p}`)));
    if (loaded !== null && !same(m.range, rangeOf(loaded.plan.ranges[k]))) problems.push(`${path}: its range is not the plan's range of shard ${k}`);
    problems.push(...seenProblems(path, m));
  }
  problems.push(...coverageProblems(manifests, shards));
  const planFile = planPath === null ? null : resolve(planPath);
  for (const name of entries.filter((n) => !claimed.has(n))) {
    const path = join(dir, name);
    if (resolve(path) === planFile || (!name.startsWith('.') && name.endsWith('.json') && (await belongs(path, digest)))) continue;
    problems.push(strayProblem(dir, name, shards));
  }
  return { problems, notes: rowNotes(manifests), digest, shards, manifests };
}

/** The verdict's closing line. */
export function verdictLine(dir: string, verdict: Verdict): string {
  if (verdict.problems.length > 0) return `${dir}: ${counted(verdict.problems.length, 'problem')}`;
  const all = [...verdict.manifests.values()];
  const rows = all.reduce((n, m) => n + m.rows, 0);
  const bytes = all.reduce((n, m) => n + m.bytes, 0);
  const files = all.reduce((n, m) => n + m.files.length, 0);
  return `${dir}: ${counted(verdict.shards, 'shard')} of plan ${shortDigest(verdict.digest as string)}, ${counted(rows, 'row')} in ${counted(files, 'file')}, ${formatBytes(bytes)}: complete`;
}
