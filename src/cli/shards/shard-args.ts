// The command lines of sharded exports, read from the same table of flags as `export`:
//   jsondump plan <source> --table T --shards N [--key COL,…] [selection and format flags] [-o PLAN.json]
//   jsondump export [<source>] --plan PLAN.json (--shard K | --all [--jobs N]) [-o DIR]
//   jsondump manifest verify DIR [--plan PLAN.json]
//   jsondump manifest merge DIR -o MANIFEST.json [--plan PLAN.json]
import { count, exportArgs, oneOf, parseColumns, parseOutput, type Tokens, type Values } from '../args.js';
import { UsageError } from '../errors.js';
import type { ExportArgs } from '../export-args.js';
import { isTextSource } from '../sources/source-kinds.js';

/** The compressions a plan can ask for, by their file extensions. */
export const COMPRESSIONS = ['gz', 'br', 'zst'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** The most shards a plan holds: each is a query and a file, and verify reads every manifest. */
export const MAX_SHARDS = 100_000;

export interface PlanArgs {
  command: 'plan';
  /** The selection and the output's layout, as `export` reads them (its `output` is null). */
  export: ExportArgs;
  shards: number;
  /** --key a,b: the key columns; null: the table's own key. */
  key: string[] | null;
  compress: Compression | null;
  /** --snapshot ID: a PostgreSQL snapshot to read the key's distribution in. */
  snapshot: string | null;
  /** -o PLAN.json; null or '-': stdout. */
  output: string | null;
  quiet: boolean;
  verbose: boolean;
}

export interface ShardRunArgs {
  command: 'shard';
  plan: string;
  /** --shard K, or null with --all. */
  shard: number | null;
  all: boolean;
  /** --jobs N with --all: shards at once. */
  jobs: number;
  /** The source to read instead of the plan's (another path to the file, a password, a replica). */
  source: string | null;
  /** -o DIR, default the working directory. */
  output: string;
  snapshot: string | null;
  quiet: boolean;
  verbose: boolean;
}

export interface ManifestArgs {
  command: 'manifest-verify' | 'manifest-merge';
  dir: string;
  plan: string | null;
  /** merge: -o MANIFEST.json. */
  output: string | null;
  quiet: boolean;
  verbose: boolean;
}

type Flag = keyof Values;
const given = (v: Values, name: Flag) => v[name] !== undefined;

/** Flags of plain `export` that a plan cannot hold: shards are cut by key and checked by verify. */
const NOT_IN_PLAN: [Flag, string][] = [
  ['query', 'a plan cuts a --table by its key; a --query cannot be cut'],
  ['order-by', 'every shard is in key order'],
  ['limit', 'a limit counts rows across the whole table, not within a shard'],
  ['jobs', 'give --jobs to `jsondump export --plan PLAN --all`, which runs that many shards at once'],
  ['assert-rows', '`jsondump manifest verify` checks the shards'],
  ['min-rows', '`jsondump manifest verify` checks the shards'],
  ['max-bytes', 'each shard is a file set of its own: use --split-bytes'],
  ['no-atomic', 'a shard is always put in place whole'],
  ['from', 'a plan reads a database table'],
  ['plan', 'it writes one'],
  ['shard', 'give it to `jsondump export --plan PLAN`'],
  ['all', 'give it to `jsondump export --plan PLAN`'],
];

/** Flags of the commands of sharded exports, refused by plain `export`. */
const SHARD_FLAGS: [Flag, string][] = [
  ['shards', '--shards is a flag of `jsondump plan`'],
  ['key', '--key is a flag of `jsondump plan`'],
  ['compress', '--compress is a flag of `jsondump plan` (a plain export is compressed by the name of -o: out.jsonl.gz)'],
  ['shard', '--shard needs --plan PLAN.json'],
  ['all', '--all needs --plan PLAN.json'],
  ['snapshot', '--snapshot is a flag of `jsondump plan` and `jsondump export --plan`'],
];

/** Plain `export` refuses the flags of plans and shards. */
export function refuseShardFlags(v: Values): void {
  for (const [name, why] of SHARD_FLAGS) if (given(v, name)) throw new UsageError(why);
}

function parseKey(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  const key = parseColumns(text) as string[];
  if (new Set(key).size !== key.length) throw new UsageError(`--key names a column twice: ${JSON.stringify(text)}`);
  return key;
}

function parseSnapshot(text: string | undefined): string | null {
  if (text === undefined) return null;
  // pg_export_snapshot() returns hex digits and dashes (0000000A-0000002F-1)
  if (!/^[0-9A-Fa-f]+(?:-[0-9A-Fa-f]+)+$/.test(text)) throw new UsageError(`--snapshot takes an ID that pg_export_snapshot() returned (such as 00000003-0000001B-1), not ${JSON.stringify(text)}`);
  return text;
}

function onlyOne(positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`missing ${what}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  return positionals[0];
}

/** `jsondump plan <source> --table T --shards N …`. */
export function planArgs(positionals: string[], v: Values, tokens: Tokens): PlanArgs {
  const source = onlyOne(positionals, 'source: jsondump plan <source> --table NAME --shards N -o PLAN.json');
  if (source === '') throw new UsageError('the source is empty: give sqlite:PATH or a PostgreSQL URL');
  if (isTextSource(source, null)) throw new UsageError(`jsondump plan reads a database table (sqlite:PATH or postgres://…), not ${JSON.stringify(source)}`);
  for (const [name, why] of NOT_IN_PLAN) if (given(v, name)) throw new UsageError(`jsondump plan takes no --${name}: ${why}`);
  if (!given(v, 'table')) throw new UsageError('jsondump plan needs --table NAME: the table to cut into shards');
  const shards = count('--shards', v.shards, 1);
  if (shards === null) throw new UsageError('jsondump plan needs --shards N: how many key ranges to cut the table into');
  if (shards > MAX_SHARDS) throw new UsageError(`--shards takes at most ${MAX_SHARDS.toLocaleString('en-US')}, not ${v.shards}`);
  const args = exportArgs(source, v, tokens, false);
  return {
    command: 'plan',
    export: { ...args, output: null },
    shards,
    key: parseKey(v.key),
    compress: oneOf('--compress', v.compress, COMPRESSIONS, null),
    snapshot: parseSnapshot(v.snapshot),
    output: parseOutput(v.output),
    quiet: args.quiet,
    verbose: args.verbose,
  };
}

/** The flags `export --plan` takes: the rest is the plan's. */
const RUN_FLAGS = new Set<string>(['plan', 'shard', 'all', 'jobs', 'output', 'snapshot', 'quiet', 'verbose']);

/** `jsondump export [<source>] --plan PLAN.json (--shard K | --all [--jobs N]) [-o DIR]`. */
export function shardRunArgs(positionals: string[], v: Values): ShardRunArgs {
  for (const name of Object.keys(v)) {
    if (!RUN_FLAGS.has(name)) throw new UsageError(`--${name} is set by the plan: give it to jsondump plan (export --plan takes --shard, --all, --jobs, -o, --snapshot, -q, --verbose)`);
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  const source = positionals[0] ?? null;
  if (source === '') throw new UsageError('the source is empty: leave it out to read the plan\'s source');
  if (v.plan === '') throw new UsageError('--plan needs the path of a plan (jsondump plan -o PLAN.json writes one)');
  const shard = count('--shard', v.shard, 0);
  const all = v.all ?? false;
  if ((shard === null) === !all) throw new UsageError('export --plan needs --shard K (one shard, from 0) or --all (every shard not yet complete)');
  if (given(v, 'jobs') && !all) throw new UsageError('--jobs runs that many shards at once: it goes with --all (one shard is one job)');
  const output = parseOutput(v.output) ?? '.';
  if (output === '-') throw new UsageError('-o names the directory of the shards (default: the working directory), not stdout');
  if (v.quiet && v.verbose) throw new UsageError('give --quiet or --verbose, not both');
  return {
    command: 'shard',
    plan: v.plan as string,
    shard,
    all,
    jobs: count('--jobs', v.jobs, 1) ?? 1,
    source,
    output,
    snapshot: parseSnapshot(v.snapshot),
    quiet: v.quiet ?? false,
    verbose: v.verbose ?? false,
  };
}

/** `jsondump manifest verify DIR [--plan PLAN.json]`, `jsondump manifest merge DIR -o MANIFEST.json`. */
export function manifestArgs(positionals: string[], v: Values): ManifestArgs {
  const [action, ...rest] = positionals;
  if (action !== 'verify' && action !== 'merge') {
    throw new UsageError(`${action === undefined ? 'missing' : `unknown manifest command ${JSON.stringify(action)}:`} jsondump manifest verify DIR, or jsondump manifest merge DIR -o MANIFEST.json`);
  }
  const allowed = new Set(['plan', 'quiet', 'verbose', ...(action === 'merge' ? ['output'] : [])]);
  for (const name of Object.keys(v)) if (!allowed.has(name)) throw new UsageError(`jsondump manifest ${action} takes no ${name === 'output' ? '-o' : `--${name}`}`);
  const dir = onlyOne(rest, `directory: jsondump manifest ${action} DIR`);
  const output = parseOutput(v.output);
  if (action === 'merge' && (output === null || output === '-')) throw new UsageError('jsondump manifest merge needs -o MANIFEST.json: the manifest it writes');
  if (v.quiet && v.verbose) throw new UsageError('give --quiet or --verbose, not both');
  return {
    command: action === 'verify' ? 'manifest-verify' : 'manifest-merge',
    dir,
    plan: v.plan ?? null,
    output,
    quiet: v.quiet ?? false,
    verbose: v.verbose ?? false,
  };
}
