// A shard's manifest, `part-K.manifest.json`: what a split export's manifest holds (each file's
// name, rows, bytes and sha256, and the totals), then the shard: the plan's digest, K and N,
// the key and K's range, the first and last key written, and the rows the plan counted. It is
// written last, by the commit that puts the shard's files in place (output/part-set.ts): a shard
// whose manifest is there and whose files match it is complete.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { counted, formatCount } from '../progress.js';
import type { KeyTuple } from './plan-file.js';
import type { SeenKeys } from './seen-keys.js';

export interface ManifestFile {
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ShardRange {
  from: KeyTuple | null;
  to: KeyTuple | null;
  empty?: true;
}

export interface ShardManifest {
  files: ManifestFile[];
  rows: number;
  bytes: number;
  jsondump: 'shard';
  /** The plan's digest. */
  plan: string;
  shard: number;
  shards: number;
  key: string[];
  range: ShardRange;
  seen: SeenKeys;
  /** The rows the plan counted in this range. */
  planned: number;
  /** The source read, as messages name it (never a password). */
  source: string;
  /** The PostgreSQL snapshot read (--snapshot), or null: a snapshot of the shard's own. */
  snapshot: string | null;
}

/** The members a shard adds to its set's manifest (after files, rows, bytes). */
export type ShardFields = Omit<ShardManifest, 'files' | 'rows' | 'bytes'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function validFile(file: unknown): file is ManifestFile {
  return isObject(file) && typeof file.name === 'string' && isCount(file.rows) && isCount(file.bytes) && typeof file.sha256 === 'string' && /^[0-9a-f]{64}$/.test(file.sha256);
}

/** The manifest's JSON as a shard manifest, or why it is not one. */
export function asShardManifest(value: unknown): ShardManifest | string {
  if (!isObject(value) || value.jsondump !== 'shard') return 'not a shard manifest (no "jsondump": "shard")';
  if (!Array.isArray(value.files) || !value.files.every(validFile)) return '"files" is not a list of {name, rows, bytes, sha256}';
  if (!isCount(value.rows) || !isCount(value.bytes) || !isCount(value.shard) || !isCount(value.shards) || !isCount(value.planned)) return 'a count is missing';
  if (typeof value.plan !== 'string' || !isObject(value.range) || !isObject(value.seen)) return '"plan", "range" or "seen" is missing';
  return value as unknown as ShardManifest;
}

/** The shard manifest at `path`: null when there is none, a string saying why when it is not one. */
export async function readShardManifest(path: string): Promise<ShardManifest | string | null> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return asShardManifest(JSON.parse(text));
  } catch {
    return 'not JSON';
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * What is wrong with the files `manifest` lists in `dir`, one line each (empty: they match it).
 * `hash`: read every byte and compare its sha256 (otherwise sizes only); `rows`: the listed
 * rows must add up to the manifest's.
 */
export async function fileProblems(dir: string, manifest: Pick<ShardManifest, 'files' | 'rows' | 'bytes'>, hash: boolean): Promise<string[]> {
  const problems: string[] = [];
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    const stats = await fsp.stat(path).catch(() => null);
    if (stats === null || !stats.isFile()) {
      problems.push(`${path}: missing`);
      continue;
    }
    if (stats.size !== file.bytes) {
      problems.push(`${path}: ${counted(stats.size, 'byte')}, not the ${formatCount(file.bytes)} its manifest lists (${stats.size < file.bytes ? 'truncated' : 'grown'})`);
      continue;
    }
    if (hash && (await sha256Of(path)) !== file.sha256) problems.push(`${path}: its sha256 is not the one its manifest lists (a changed byte)`);
  }
  const rows = manifest.files.reduce((n, f) => n + f.rows, 0);
  if (rows !== manifest.rows) problems.push(`the files' rows add up to ${formatCount(rows)}, not the ${formatCount(manifest.rows)} of the manifest`);
  const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
  if (bytes !== manifest.bytes) problems.push(`the files' bytes add up to ${formatCount(bytes)}, not the ${formatCount(manifest.bytes)} of the manifest`);
  return problems;
}
