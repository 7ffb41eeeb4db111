// The files of shard K in the output directory: its numbered parts `part-K-00001.jsonl.gz`, …,
// its manifest `part-K.manifest.json` and, while a process exports it, `part-K.lock`. K is
// padded to the digits of the plan's last shard (at least 5), so that a glob lists the shards
// in order and, within each, its parts.
import { join } from 'node:path';
import { setNames, type SetNames } from '../output/part-set.js';
import type { Plan, PlanOutput } from './plan-file.js';

const MIN_DIGITS = 5;

/** `part-00003` for shard 3 of a plan of `shards`. */
export function shardStem(k: number, shards: number): string {
  return `part-${String(k).padStart(Math.max(MIN_DIGITS, String(shards - 1).length), '0')}`;
}

/** `.jsonl.gz`, `.json`, …: the parts' extension, as the plan's output asks. */
export function extensionOf(output: Pick<PlanOutput, 'lines' | 'compress'>): string {
  return (output.lines ? '.jsonl' : '.json') + (output.compress === null ? '' : `.${output.compress}`);
}

/** The set of files of shard `k` in `dir`, named as a split export's set is (part-set.ts). */
export function shardSetNames(dir: string, k: number, plan: Pick<Plan, 'shards' | 'output'>): SetNames {
  return setNames(dir, shardStem(k, plan.shards), extensionOf(plan.output));
}

export function lockPath(dir: string, k: number, shards: number): string {
  return join(dir, `${shardStem(k, shards)}.lock`);
}

/** A shard manifest's name and the shard it names: `part-00003.manifest.json` → 3. */
export const SHARD_MANIFEST = /^part-(\d+)\.manifest\.json$/;
/** A lock's name: `part-00003.lock` → 3. */
export const SHARD_LOCK = /^part-(\d+)\.lock$/;
/** A part's name: `part-00003-00001.jsonl.gz` → 3. */
export const SHARD_PART = /^part-(\d+)-\d+\.json(?:l)?(?:\.(?:gz|br|zst))?$/;
