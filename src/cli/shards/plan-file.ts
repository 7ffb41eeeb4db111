// A plan: the table, its key, the N key ranges the shards export, the query options and the
// output's layout, as `jsondump plan` writes it and every shard reads it. Its digest (SHA-256 of
// its canonical JSON, RFC 8785) identifies it: each shard's manifest records it, so that
// `manifest verify` tells a shard of another plan, and a plan reformatted is the same plan.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dumps } from '../../index.js';
import { SourceError } from '../errors.js';
import { COMPRESSIONS, MAX_SHARDS, type Compression } from './shard-args.js';

export const PLAN_VERSION = 1;

/**
 * One value of a key, tagged with its kind so that it is exact whatever it holds: integers as
 * their digits (past 2^53 too), text as it is, SQLite BLOBs as hex. A PostgreSQL key that is not
 * an integer (numeric, date, timestamp, uuid, text) is `text`: its text, read back as the column's type.
 */
export type KeyValue = { integer: string } | { text: string } | { blob: string };
/** A value of every key column, in key order. */
export type KeyTuple = KeyValue[];

export interface KeyColumn {
  name: string;
  /** The column's type as the database declares it (PostgreSQL: format_type, without modifiers). */
  type: string;
  /** Whether it can hold NULL: such rows go to the first shard. */
  nullable: boolean;
  /** SQLite: the table's built-in rowid reached by this name (rowid, _rowid_, oid), not a column. */
  rowid?: boolean;
}

/** Shard K's keys: from `from` (inclusive; null: from the lowest) up to `to` (exclusive; null: past the highest). */
export interface PlanRange {
  from: KeyTuple | null;
  to: KeyTuple | null;
  /** The rows the plan counted in it. */
  rows: number;
  /** A shard of a plan of an empty selection after the first: it holds no key (from and to are null). */
  empty?: true;
}

export interface PlanOutput {
  lines: boolean;
  arrays: boolean;
  jsonCols: boolean;
  blob: 'base64' | 'hex' | 'object';
  indent: number | string | null;
  separators: [string, string] | null;
  sortKeys: boolean;
  ensureAscii: boolean | null;
  dialect: 'js' | 'python';
  escapeHTML: boolean;
  canonical: boolean;
  bigint: 'number' | 'string';
  allowNaN: false | null;
  replaceInvalidUTF8: boolean;
  splitRows: number | null;
  splitBytes: number | null;
  compress: Compression | null;
}

export interface Plan {
  jsondump: 'plan';
  version: number;
  /** When the plan was made (ISO 8601, UTC): two plans of an unchanged table are two exports. */
  created: string;
  /** As given, without its password. */
  source: string;
  database: 'sqlite' | 'postgres';
  table: string;
  key: KeyColumn[];
  /** Whether the key is unique (a primary key, a unique index): rows with one key value all go to one shard. */
  unique: boolean;
  where: string | null;
  params: { value: string; text: boolean }[];
  /** The columns each shard selects: --columns, or the table's when the plan was made. */
  columns: string[] | null;
  output: PlanOutput;
  shards: number;
  /** The rows the plan counted, in all. */
  rows: number;
  ranges: PlanRange[];
}

export interface LoadedPlan {
  plan: Plan;
  /** Hex SHA-256 of the plan's canonical JSON. */
  digest: string;
  path: string;
}

export function digestOf(plan: Plan): string {
  return createHash('sha256').update(dumps(plan, { canonical: true })).digest('hex');
}

/** The plan's file: readable JSON, indented. */
export function planText(plan: Plan): string {
  return dumps(plan, { indent: 2 }) + '\n';
}

/** The first 12 digits of a digest, for messages. */
export const shortDigest = (digest: string) => digest.slice(0, 12);

class NotAPlan extends Error {}

const fail = (why: string): never => {
  throw new NotAPlan(why);
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

function keyValue(v: unknown, where: string): KeyValue {
  if (!isObject(v) || Object.keys(v).length !== 1) return fail(`${where} is not a key value ({"integer": "…"}, {"text": "…"} or {"blob": "…"})`);
  const [[tag, text]] = Object.entries(v);
  if (typeof text !== 'string') return fail(`${where}: the value of "${tag}" is not a string`);
  if (tag === 'integer' && !/^-?(?:0|[1-9]\d*)$/.test(text)) return fail(`${where}: ${JSON.stringify(text)} is not an integer`);
  if (tag === 'blob' && !/^(?:[0-9a-f]{2})*$/.test(text)) return fail(`${where}: ${JSON.stringify(text)} is not hex`);
  if (tag !== 'integer' && tag !== 'text' && tag !== 'blob') return fail(`${where}: unknown kind "${tag}"`);
  return v as KeyValue;
}

function keyTuple(v: unknown, columns: number, where: string): KeyTuple | null {
  if (v === null) return null;
  if (!Array.isArray(v) || v.length !== columns) return fail(`${where} is not a value of each of the ${columns} key columns`);
  return v.map((value, i) => keyValue(value, `${where}[${i}]`));
}

function checkRanges(plan: Record<string, unknown>, columns: number): void {
  const ranges = plan.ranges;
  if (!Array.isArray(ranges) || ranges.length !== plan.shards) return fail(`"ranges" does not hold the ${String(plan.shards)} shards`);
  ranges.forEach((range: unknown, k) => {
    if (!isObject(range) || !isCount(range.rows)) return fail(`range ${k} is not {"from", "to", "rows"}`);
    keyTuple(range.from, columns, `range ${k} "from"`);
    keyTuple(range.to, columns, `range ${k} "to"`);
    if (range.empty !== undefined && (range.empty !== true || k === 0 || range.from !== null || range.to !== null)) return fail(`range ${k}: "empty" is for a shard after the first of an empty plan`);
  });
  const open = ranges.filter((r: PlanRange) => r.empty !== true);
  if (open[0].from !== null || open[open.length - 1].to !== null) fail('the ranges do not reach from the lowest key to past the highest');
  for (let k = 1; k < open.length; k++) {
    if (open[k].from === null || JSON.stringify(open[k].from) !== JSON.stringify(open[k - 1].to)) fail(`range ${k} does not begin where range ${k - 1} ends`);
  }
}

const OUTPUT_CHECKS: Record<keyof PlanOutput, (v: unknown) => boolean> = {
  lines: (v) => typeof v === 'boolean',
  arrays: (v) => typeof v === 'boolean',
  jsonCols: (v) => typeof v === 'boolean',
  blob: (v) => v === 'base64' || v === 'hex' || v === 'object',
  indent: (v) => v === null || typeof v === 'string' || Number.isInteger(v),
  separators: (v) => v === null || (Array.isArray(v) && v.length === 2 && v.every((s) => typeof s === 'string')),
  sortKeys: (v) => typeof v === 'boolean',
  ensureAscii: (v) => v === null || typeof v === 'boolean',
  dialect: (v) => v === 'js' || v === 'python',
  escapeHTML: (v) => typeof v === 'boolean',
  canonical: (v) => typeof v === 'boolean',
  bigint: (v) => v === 'number' || v === 'string',
  allowNaN: (v) => v === null || v === false,
  replaceInvalidUTF8: (v) => typeof v === 'boolean',
  splitRows: (v) => v === null || (isCount(v) && (v as number) > 0),
  splitBytes: (v) => v === null || (isCount(v) && (v as number) > 0),
  compress: (v) => v === null || (COMPRESSIONS as readonly unknown[]).includes(v),
};

function checkPlan(plan: unknown): Plan {
  if (!isObject(plan) || plan.jsondump !== 'plan') return fail('no "jsondump": "plan"');
  if (plan.version !== PLAN_VERSION) return fail(`version ${JSON.stringify(plan.version)}; this jsondump reads version ${PLAN_VERSION}`);
  for (const name of ['created', 'source', 'table'] as const) if (typeof plan[name] !== 'string') fail(`"${name}" is not a string`);
  if (plan.database !== 'sqlite' && plan.database !== 'postgres') fail('"database" is not "sqlite" or "postgres"');
  const key = plan.key;
  if (!Array.isArray(key) || key.length === 0 || !key.every((c) => isObject(c) && typeof c.name === 'string' && typeof c.type === 'string' && typeof c.nullable === 'boolean')) {
    fail('"key" is not a list of columns ({"name", "type", "nullable"})');
  }
  if (typeof plan.unique !== 'boolean') fail('"unique" is not true or false');
  if (plan.where !== null && typeof plan.where !== 'string') fail('"where" is not a string or null');
  if (!Array.isArray(plan.params) || !plan.params.every((p) => isObject(p) && typeof p.value === 'string' && typeof p.text === 'boolean')) fail('"params" is not a list of {"value", "text"}');
  if (plan.columns !== null && (!Array.isArray(plan.columns) || !plan.columns.every((c) => typeof c === 'string'))) fail('"columns" is not a list of names or null');
  const output = plan.output;
  if (!isObject(output)) return fail('no "output"');
  for (const [name, valid] of Object.entries(OUTPUT_CHECKS)) if (!valid(output[name])) fail(`"output"."${name}" is ${JSON.stringify(output[name]) ?? 'missing'}`);
  if (!isCount(plan.shards) || (plan.shards as number) < 1 || (plan.shards as number) > MAX_SHARDS) fail('"shards" is not a number of shards');
  if (!isCount(plan.rows)) fail('"rows" is not a count');
  checkRanges(plan, (key as unknown[]).length);
  return plan as unknown as Plan;
}

/** Reads and checks the plan at `path`; a file that is not one is a SourceError naming what is wrong. */
export function readPlan(path: string): LoadedPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot read the plan ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      fail('not JSON');
    }
    const plan = checkPlan(parsed);
    return { plan, digest: digestOf(plan), path };
  } catch (error) {
    if (error instanceof NotAPlan) throw new SourceError(`${path} is not a plan that jsondump plan wrote: ${error.message}`);
    throw error;
  }
}
