// `jsondump manifest merge DIR -o MANIFEST.json`: the one manifest a loader reads, of a
// directory of shards that verifies (sizes checked, not checksums: verify reads every byte).
// It lists every file in shard order, with its shard, rows, bytes and sha256, the totals and the
// plan's digest; names are relative to the manifest's own directory.
import { dirname, join, relative, resolve, sep } from 'node:path';
import { dump } from '../../index.js';
import { SourceError } from '../errors.js';
import { counted } from '../progress.js';
import type { ManifestArgs } from './shard-args.js';
import { verifyDir } from './verify.js';

export interface MergedManifest {
  files: { name: string; shard: number; rows: number; bytes: number; sha256: string }[];
  rows: number;
  bytes: number;
  jsondump: 'manifest';
  plan: string;
  shards: number;
  key: string[];
}

/** Builds and writes the merged manifest; throws, writing nothing, when DIR does not verify. */
export async function mergeManifests(args: ManifestArgs): Promise<{ manifest: MergedManifest; problems: string[] }> {
  const verdict = await verifyDir(args.dir, args.plan, false);
  if (verdict.problems.length > 0) return { manifest: null as never, problems: verdict.problems };
  const output = args.output as string;
  const base = dirname(resolve(output));
  const shards = [...verdict.manifests.values()].sort((a, b) => a.shard - b.shard);
  const files = shards.flatMap((m) =>
    m.files.map((f) => ({ name: relative(base, resolve(join(args.dir, f.name))).split(sep).join('/'), shard: m.shard, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
  );
  const manifest: MergedManifest = {
    files,
    rows: files.reduce((n, f) => n + f.rows, 0),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    jsondump: 'manifest',
    plan: verdict.digest as string,
    shards: verdict.shards,
    key: shards[0]?.key ?? [],
  };
  if (files.length === 0) throw new SourceError(`${args.dir}: no file to list`);
  await dump(manifest, output, { indent: 2 });
  return { manifest, problems: [] };
}

export const mergeSummary = (args: ManifestArgs, m: MergedManifest) =>
  `${args.output as string}: ${counted(m.files.length, 'file')} of ${counted(m.shards, 'shard')}, ${counted(m.rows, 'row')}`;
