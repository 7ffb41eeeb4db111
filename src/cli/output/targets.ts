// Where the records' documents go: one output (stdout or -o FILE), or numbered parts with a
// manifest. Parts are staged under hidden names and put in place together once every one is
// complete, replacing the earlier set whole (part-set.ts): a failure leaves the old set.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { dump } from '../../index.js';
import { COMPRESSED } from './compression.js';
import { openFile, stdoutOutput, type Output } from './output-file.js';
import { WARNING } from '../records.js';
import {
  CommitLeftHalfway, commitSet, NODE_SET_FS, readOldSet, recoverInterrupted, refuseStrays, setNames, stagedName, type SetFs, type SetNames,
} from './part-set.js';

/** Where successive documents go. */
export interface Target {
  /** The output of the next document (the only one, unless the target splits). */
  next(): Promise<Output>;
  /** Called once the document in `output` is complete, with the records it holds. */
  done(output: Output, rows: number): Promise<void>;
  /** After the last document: puts the parts and the manifest in place. */
  commit(): Promise<void>;
  /** Discards everything written. Never rejects. */
  abort(): Promise<void>;
  /** Lines for the closing summary (a `warning: ` one is shown even without it). */
  notes?(): string[];
}

/** stdout or one file. */
export function singleTarget(path: string | null, atomic: boolean): Target {
  let output: Output | null = null;
  return {
    async next() {
      output = path === null ? stdoutOutput() : await openFile(path, { atomic, measure: false });
      return output;
    },
    async done(o) {
      await o.finish();
    },
    async commit() {},
    async abort() {
      await output?.abort();
    },
  };
}

/** `out.jsonl.gz` → name of part n `out-00001.jsonl.gz`, manifest `out.manifest.json`. */
export function partNames(path: string): SetNames {
  const name = basename(path);
  const compression = COMPRESSED.exec(name)?.[0] ?? '';
  const plain = name.slice(0, name.length - compression.length);
  const dot = plain.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [plain.slice(0, dot), plain.slice(dot)] : [plain, ''];
  return setNames(dirname(path), stem, extension + compression);
}

interface Part {
  path: string;
  staged: string;
  output: Output;
  rows: number;
  bytes: number;
  sha256: string;
}

/** What a set other than a split export's adds to the protocol (a shard of a plan). */
export interface SetOptions {
  /** Members the manifest holds after `files`, `rows` and `bytes`, asked for when it is written. */
  manifestFields?: () => Record<string, unknown>;
  /** Called before the commit begins; throws to fail the export instead (a lock that is no longer held). */
  beforeCommit?: () => Promise<void>;
  /**
   * Whether the process that left hidden files here may still be writing them. By default, a
   * process of that id running on this machine; a caller that holds a lock on the set knows none is.
   */
  running?: (pid: number) => boolean;
}

/**
 * Numbered parts beside `path`, then `<stem>.manifest.json` listing them: a new set that
 * replaces the earlier one whole (see part-set.ts). Refuses, before anything is written, a file
 * named like a part that no manifest lists, and a manifest that is not one. With --no-atomic
 * the earlier set is removed when the first part is opened, and the parts are written in place.
 */
export function splitTarget(path: string, atomic: boolean, guard: (path: string) => void, fs: SetFs = NODE_SET_FS): Promise<Target> {
  return setTarget(partNames(path), atomic, guard, fs);
}

/** The set `names` names, written as splitTarget writes it. */
export async function setTarget(names: SetNames, atomic: boolean, guard: (path: string) => void, fs: SetFs = NODE_SET_FS, set: SetOptions = {}): Promise<Target> {
  const tag = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const notes = await recoverInterrupted(fs, names, tag, set.running);
  let old = await readOldSet(fs, names);
  await refuseStrays(fs, names, old);
  const parts: Part[] = [];
  let current: Part | null = null;
  /** The staged files stay: committed, or left for the next export to finish. */
  let keepStaged = false;
  // Without --no-atomic each part is written under a hidden name first (fsynced when it is complete)
  const staging = (part: string) => (atomic ? stagedName(part, tag) : part);
  return {
    async next() {
      if (!atomic && parts.length === 0 && old !== null) {
        // In place: the earlier set goes first, its manifest before its parts; a part that
        // cannot be removed fails the export (left there, it would be read with the new set)
        const files = await existingParts(fs, names, old);
        for (const file of [names.manifest, ...files]) await fs.unlink(file).catch(unlessGone);
        old = null;
      }
      const path = names.part(parts.length + 1);
      guard(path);
      const staged = staging(path);
      const output = await openFile(staged, { atomic, measure: true, finalName: path });
      current = { path, staged, output, rows: 0, bytes: 0, sha256: '' };
      parts.push(current);
      return output;
    },
    async done(output, rows) {
      const part = parts.find((p) => p.output === output) as Part;
      const written = await output.finish();
      Object.assign(part, { rows, bytes: written.bytes, sha256: written.sha256 });
      current = null;
    },
    async commit() {
      const manifest = {
        files: parts.map((p) => ({ name: basename(p.path), rows: p.rows, bytes: p.bytes, sha256: p.sha256 })),
        rows: parts.reduce((n, p) => n + p.rows, 0),
        bytes: parts.reduce((n, p) => n + p.bytes, 0),
        ...set.manifestFields?.(),
      };
      await set.beforeCommit?.();
      if (!atomic) {
        await dump(manifest, names.manifest, { indent: 2, atomic: false });
        return;
      }
      // The place may have changed while the parts were written: the set in place now is replaced
      old = await readOldSet(fs, names);
      await refuseStrays(fs, names, old);
      await dump(manifest, stagedName(names.manifest, tag), { indent: 2, atomic: true });
      try {
        const left = await commitSet(fs, names, tag, parts.map((p) => p.path), old);
        keepStaged = true;
        if (left.length > 0) notes.push(`${WARNING}the earlier set's files could not be removed from their hidden names: ${left.join(', ')}`);
      } catch (error) {
        keepStaged = error instanceof CommitLeftHalfway;
        throw error;
      }
    },
    async abort() {
      await current?.output.abort();
      if (keepStaged) return;
      // The staged manifest first: without it, staged parts left by a crash here are only removed
      if (atomic) await fs.unlink(stagedName(names.manifest, tag)).catch(() => {});
      const left = parts.filter((p) => p !== current).map((p) => p.staged);
      await Promise.all(left.map((file) => fs.unlink(file).catch(() => {})));
    },
    notes: () => notes,
  };
}

/** Rethrows a failure to remove a file, unless the file was not there. */
function unlessGone(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

/** The paths of the parts `old` lists that are there. */
async function existingParts(fs: SetFs, names: SetNames, old: string[]): Promise<string[]> {
  const present = new Set(await fs.readdir(names.dir));
  return old.filter((name) => present.has(name)).map((name) => join(names.dir, name));
}
