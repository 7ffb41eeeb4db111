// `jsondump export --plan PLAN --shard K`: the rows of range K, in key order, into DIR as the
// numbered parts `part-K-00001.…` and the manifest `part-K.manifest.json`, put in place together
// by the commit protocol of split exports (output/part-set.ts), under the shard's lock. A shard
// that is complete (its manifest is of this plan and its files match their checksums) is left
// as it is; anything else there (a crashed run's hidden files, a shard of another plan, a file
// that no longer matches) is replaced.
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { ExportArgs } from '../export-args.js';
import { runExport } from '../export.js';
import { NODE_SET_FS, readOldSet, type SetNames } from '../output/part-set.js';
import { setTarget } from '../output/targets.js';
import { counted, formatBytes } from '../progress.js';
import { WARNING } from '../records.js';
import { isPostgres } from '../sources/pg-connect.js';
import { openSource, sqlitePathSpelling } from '../sources/source-kinds.js';
import { keyDialect, keyOrder, rangeSql } from './key-sql.js';
import { takeLock } from './lock.js';
import { shortDigest, type LoadedPlan } from './plan-file.js';
import { watchKeys, type SeenKeys } from './seen-keys.js';
import type { ShardRunArgs } from './shard-args.js';
import { fileProblems, readShardManifest, type ShardFields, type ShardManifest } from './shard-manifest.js';
import { extensionOf, lockPath, shardSetNames, shardStem } from './shard-names.js';

export interface ShardOutcome {
  shard: number;
  /** true: the shard was complete already, and left as it was. */
  complete: boolean;
  rows: number;
  /** Bytes of the files (compressed, when they are). */
  bytes: number;
  files: string[];
  /** Lines for the summary; `warning: ` ones are shown without it. */
  notes: string[];
}

/** The database a source names, to match it with the plan's. */
function databaseOf(source: string): 'sqlite' | 'postgres' | null {
  if (sqlitePathSpelling(source).startsWith('sqlite:')) return 'sqlite';
  return isPostgres(source) ? 'postgres' : null;
}

/** What `jsondump export` is asked for shard `k`: the plan's selection within range K, in key order. */
export function shardExportArgs(loaded: LoadedPlan, k: number, run: ShardRunArgs): ExportArgs {
  const { plan } = loaded;
  const o = plan.output;
  const range = rangeSql(plan, k);
  return {
    command: 'export',
    source: run.source ?? plan.source,
    from: null,
    table: plan.table,
    query: null,
    where: plan.where === null ? range : `(${plan.where}) AND ${range}`,
    params: plan.params.map((p) => p.value),
    paramsAsText: plan.params.map((p) => p.text),
    columns: plan.columns,
    orderBy: keyOrder(plan.key, keyDialect(plan)),
    limit: null,
    // names the compression; the files are the shard's set's
    output: join(run.output, shardStem(k, plan.shards) + extensionOf(o)),
    lines: o.lines,
    arrays: o.arrays,
    jsonCols: o.jsonCols,
    blob: o.blob,
    splitRows: o.splitRows,
    splitBytes: o.splitBytes,
    jobs: 1,
    assertRows: null,
    minRows: null,
    indent: o.indent,
    separators: o.separators,
    sortKeys: o.sortKeys,
    ensureAscii: o.ensureAscii,
    dialect: o.dialect,
    escapeHTML: o.escapeHTML,
    maxBytes: null,
    canonical: o.canonical,
    bigint: o.bigint,
    allowNaN: o.allowNaN,
    replaceInvalidUTF8: o.replaceInvalidUTF8,
    atomic: true,
    quiet: run.quiet,
    verbose: run.verbose,
    given: [],
    snapshot: run.snapshot,
  };
}

/** Refuses a run that cannot read the plan's table: another kind of database, --snapshot on SQLite, K past N. */
export function checkRun(loaded: LoadedPlan, run: ShardRunArgs): void {
  const { plan } = loaded;
  if (run.shard !== null && run.shard >= plan.shards) {
    throw new UsageError(`--shard ${run.shard}: the plan ${loaded.path} has ${counted(plan.shards, 'shard')}, 0 to ${plan.shards - 1}`);
  }
  if (run.source !== null && databaseOf(run.source) !== plan.database) {
    throw new UsageError(`${run.source} is not ${plan.database === 'sqlite' ? 'an SQLite' : 'a PostgreSQL'} source, as the plan's ${plan.source} is`);
  }
  if (run.snapshot !== null && plan.database !== 'postgres') throw new UsageError('--snapshot names a PostgreSQL snapshot: the plan reads SQLite');
}

/** The manifest in place when shard `k` is complete there, or why it is not (null: nothing there). */
async function completeShard(path: string, dir: string, loaded: LoadedPlan, k: number): Promise<ShardManifest | { redo: string | null }> {
  const found = await readShardManifest(path);
  if (found === null) return { redo: null };
  if (typeof found === 'string') return { redo: `${path} was ${found}: replaced` };
  if (found.plan !== loaded.digest) return { redo: `${path} was of another plan (${shortDigest(found.plan)}): replaced` };
  const problems = await fileProblems(dir, found, true);
  if (problems.length > 0) return { redo: `${problems[0]}: the shard is exported again` };
  if (found.shard !== k) return { redo: `${path} was the manifest of shard ${found.shard}: replaced` };
  return found;
}

/**
 * Removes the parts of this shard that no manifest lists (its manifest was removed, to have the
 * shard exported again): the shard's names are its own, and no reader can trust such a file.
 * A split export refuses them instead, as they may be another program's.
 */
async function removeUnlisted(names: SetNames, dir: string): Promise<string[]> {
  const listed = new Set((await readOldSet(NODE_SET_FS, names).catch(() => null)) ?? []);
  const unlisted = (await readdir(dir)).filter((name) => names.isAnyPart(name) && !listed.has(name)).sort();
  for (const name of unlisted) await unlink(join(dir, name));
  return unlisted.length === 0 ? [] : [`${WARNING}removed ${unlisted.map((name) => join(dir, name)).join(', ')}: no manifest of the shard listed ${unlisted.length === 1 ? 'it' : 'them'}`];
}

/** Runs shard `k` of the plan into `run.output`, or leaves it when it is complete there. */
export async function exportShard(loaded: LoadedPlan, k: number, run: ShardRunArgs, context: { signal: AbortSignal; progress: NodeJS.WriteStream | null }): Promise<ShardOutcome> {
  const { plan } = loaded;
  const dir = run.output;
  await mkdir(dir, { recursive: true });
  const lock = await takeLock(lockPath(dir, k, plan.shards), `shard ${k} of ${plan.shards}`);
  try {
    const notes = lock.tookOver === null ? [] : [`${WARNING}${lock.tookOver}`];
    const names = shardSetNames(dir, k, plan);
    const complete = await completeShard(names.manifest, dir, loaded, k);
    if ('files' in complete) {
      return { shard: k, complete: true, rows: complete.rows, bytes: complete.bytes, files: complete.files.map((f) => join(dir, f.name)), notes };
    }
    if (complete.redo !== null) notes.push(`${WARNING}${complete.redo}`);
    notes.push(...(await removeUnlisted(names, dir)));
    let seen: () => SeenKeys = () => ({ first: null, last: null });
    let sourceName = '';
    const fields = (): Record<string, unknown> & ShardFields => ({
      jsondump: 'shard',
      plan: loaded.digest,
      shard: k,
      shards: plan.shards,
      key: plan.key.map((c) => c.name),
      range: plan.ranges[k].empty === true ? { from: null, to: null, empty: true } : { from: plan.ranges[k].from, to: plan.ranges[k].to },
      seen: seen(),
      planned: plan.ranges[k].rows,
      source: sourceName,
      snapshot: run.snapshot,
    });
    let written: { files: string[]; bytes: number } = { files: [], bytes: 0 };
    const result = await runExport(shardExportArgs(loaded, k, run), {
      ...context,
      async openSource(args, signal) {
        const watched = watchKeys(await openSource(args, signal), plan.key.map((c) => c.name), args.arrays);
        seen = watched.seen;
        sourceName = watched.source.name;
        return watched.source;
      },
      async target(_args, guard) {
        return setTarget(names, true, guard, NODE_SET_FS, {
          manifestFields: fields,
          // the lock is this process's: hidden files of another id here are a dead run's
          running: () => false,
          beforeCommit: () => lock.check(),
        });
      },
    });
    const manifest = await readShardManifest(names.manifest);
    if (manifest !== null && typeof manifest !== 'string') written = { files: manifest.files.map((f) => join(dir, f.name)), bytes: manifest.bytes };
    return { shard: k, complete: false, rows: result.rows, bytes: written.bytes, files: written.files, notes: [...notes, ...result.notes] };
  } finally {
    await lock.release();
  }
}

/** The closing line of one shard. */
export function shardSummary(outcome: ShardOutcome, shards: number, dir: string): string {
  const files = outcome.files.length === 1 ? outcome.files[0] : `${outcome.files[0]}, … (${counted(outcome.files.length, 'file')})`;
  if (outcome.complete) {
    return `shard ${outcome.shard} of ${shards} is complete in ${dir} (${counted(outcome.rows, 'row')} in ${counted(outcome.files.length, 'file')}, checksums verified): nothing to do`;
  }
  return `shard ${outcome.shard} of ${shards}: wrote ${counted(outcome.rows, 'row')}, ${formatBytes(outcome.bytes)} to ${files}`;
}
