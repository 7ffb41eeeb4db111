// `jsondump plan`: reads the key's distribution once and writes the plan every shard reads.
import { UsageError } from '../errors.js';
import type { ExportArgs } from '../export-args.js';
import { frameOf, libraryOptions } from '../export.js';
import { compressorFor } from '../output/compression.js';
import { openFile } from '../output/output-file.js';
import { counted, formatCount } from '../progress.js';
import { isPostgres, parseLibpq } from '../sources/pg-connect.js';
import { sqlitePathSpelling } from '../sources/source-kinds.js';
import { cutRanges } from './cut-ranges.js';
import type { KeyReader } from './key-reader.js';
import { pgKeyReader } from './pg-key-reader.js';
import { digestOf, planText, PLAN_VERSION, shortDigest, type Plan, type PlanOutput } from './plan-file.js';
import type { PlanArgs } from './shard-args.js';
import { extensionOf } from './shard-names.js';
import { sqliteKeyReader } from './sqlite-key-reader.js';
import { WARNING } from '../records.js';

export interface PlanResult {
  plan: Plan;
  digest: string;
  /** Lines for the closing summary; `warning: ` ones are shown without it. */
  notes: string[];
}

/** A libpq string's value, quoted when it must be. */
const libpqValue = (value: string) => (/^[^\s'\\]+$/.test(value) ? value : `'${value.replace(/[\\']/g, '\\$&')}'`);

/** The source as given, without a password: each shard takes it from PGPASSWORD, ~/.pgpass or its own source. */
export function withoutPassword(source: string): string {
  if (/^postgres(?:ql)?:\/\/./.test(source)) {
    const url = new URL(source);
    if (url.password === '' && !url.searchParams.has('password')) return source;
    url.password = '';
    url.searchParams.delete('password');
    return url.toString();
  }
  if (isPostgres(source) && !/^postgres(?:ql)?:/.test(source)) {
    const pairs = Object.entries(parseLibpq(source)).filter(([key]) => key !== 'password');
    return pairs.map(([key, value]) => `${key}=${libpqValue(value)}`).join(' ');
  }
  return source;
}

function outputOf(args: PlanArgs): PlanOutput {
  const a = args.export;
  return {
    lines: a.lines,
    arrays: a.arrays,
    jsonCols: a.jsonCols,
    blob: a.blob,
    indent: a.indent,
    separators: a.separators,
    sortKeys: a.sortKeys,
    ensureAscii: a.ensureAscii,
    dialect: a.dialect,
    escapeHTML: a.escapeHTML,
    canonical: a.canonical,
    bigint: a.bigint,
    allowNaN: a.allowNaN,
    replaceInvalidUTF8: a.replaceInvalidUTF8,
    splitRows: a.splitRows,
    splitBytes: a.splitBytes,
    compress: args.compress,
  };
}

async function openReader(args: PlanArgs): Promise<{ reader: KeyReader; database: Plan['database'] }> {
  const source = sqlitePathSpelling(args.export.source);
  if (source.startsWith('sqlite:')) {
    if (args.snapshot !== null) throw new UsageError('--snapshot names a PostgreSQL snapshot: an SQLite plan reads in a read transaction of its own');
    return { reader: await sqliteKeyReader(source.slice('sqlite:'.length), args.export, args.key), database: 'sqlite' };
  }
  if (isPostgres(source)) return { reader: await pgKeyReader(source, args.export, args.key, args.snapshot), database: 'postgres' };
  throw new UsageError(`jsondump plan cuts SQLite and PostgreSQL tables (sqlite:PATH, postgres://…), not ${JSON.stringify(args.export.source)}; a MySQL table is exported by one jsondump export`);
}

/** Refuses, before the database is opened, a layout the library refuses or a compression this Node lacks. */
function checkLayout(args: PlanArgs): void {
  const layout: ExportArgs = args.export;
  frameOf(libraryOptions(layout), layout.lines);
  compressorFor(`part${extensionOf({ lines: layout.lines, compress: args.compress })}`);
}

function notesOf(plan: Plan): string[] {
  const notes: string[] = [];
  if (!plan.unique) {
    notes.push(`${WARNING}the key (${plan.key.map((c) => c.name).join(', ')}) is not unique: rows that share a key value are in one shard, in the order the database reads them`);
  }
  const empty = plan.ranges.filter((r) => r.rows === 0).length;
  if (empty > 0 && plan.rows > 0) notes.push(`${counted(empty, 'shard')} of ${plan.shards} hold no row now: the table has fewer rows, or fewer key values, than shards`);
  return notes;
}

/** Reads the key's distribution and builds the plan (nothing written). */
export async function makePlan(args: PlanArgs, now = new Date()): Promise<PlanResult> {
  checkLayout(args);
  const { reader, database } = await openReader(args);
  let cut;
  try {
    cut = await cutRanges(reader, database, args.shards);
  } finally {
    await reader.close();
  }
  const a = args.export;
  const plan: Plan = {
    jsondump: 'plan',
    version: PLAN_VERSION,
    created: now.toISOString(),
    source: withoutPassword(a.source),
    database,
    table: a.table as string,
    key: reader.key,
    unique: reader.unique,
    where: a.where,
    params: a.params.map((value, i) => ({ value, text: a.paramsAsText[i] })),
    // fixed now: a column added later is in no shard, one dropped fails the shards run after it,
    // so that every shard's records have one shape
    columns: reader.columns,
    output: outputOf(args),
    shards: args.shards,
    rows: cut.rows,
    ranges: cut.ranges,
  };
  return { plan, digest: digestOf(plan), notes: notesOf(plan) };
}

/** Writes the plan to -o (atomically) or stdout. */
export async function writePlan(args: PlanArgs, plan: Plan): Promise<void> {
  const text = Buffer.from(planText(plan));
  if (args.output === null || args.output === '-') {
    process.stdout.write(text);
    return;
  }
  const file = await openFile(args.output, { atomic: true, measure: false });
  try {
    await file.write(text);
    await file.finish();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** The closing summary of a plan. */
export function planSummary(args: PlanArgs, result: PlanResult): string {
  const { plan } = result;
  const most = Math.max(...plan.ranges.map((r) => r.rows));
  const where = args.output === null || args.output === '-' ? 'stdout' : args.output;
  return `plan ${shortDigest(result.digest)}: ${counted(plan.shards, 'shard')} of ${plan.table} by ${plan.key.map((c) => c.name).join(', ')}, ${counted(plan.rows, 'row')} (${formatCount(most)} in the largest shard), written to ${where}`;
}
