// A split export's set in one directory: numbered parts and the manifest that lists them, and
// how a new set replaces an earlier one so that a failure leaves one whole set, never a mix.
//
// Every new part is complete and fsynced under a hidden staged name before the commit; then:
//   1. the new manifest is written under a hidden staged name (fsynced): from here on it is the
//      commit's record, naming the parts of the new set;
//   2. the old manifest, then every part it lists, is renamed aside to a hidden backup name;
//   3. the staged parts are renamed to their names; the directory is fsynced;
//   4. the staged manifest is renamed to the manifest's name, the directory fsynced: the commit;
//   5. the backups are removed.
// A failure in 1–4 undoes the steps done, in reverse order (the old set back in place, the new
// parts back to their staged names, which the caller removes). Should an undo fail too, or the
// process die, the staged manifest is left: the next split export into the same place finishes
// that commit (every step above is done again where it was not: the new set, complete since
// step 1, goes in place) before it begins, and says so. A reader that starts from the manifest
// sees the old set, or for those few renames no manifest, or the new set; a reader that globs
// the parts can see some of each while the renames run, never after.
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SourceError } from '../errors.js';
import { WARNING } from '../records.js';
import { running } from '../process-alive.js';

/** The file-system calls a set's commit makes: node:fs, or one that fails on purpose in tests. */
export interface SetFs {
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  /** The file's text, or null when there is none. */
  readText(path: string): Promise<string | null>;
  syncDirectory(dir: string): Promise<void>;
}

export const NODE_SET_FS: SetFs = {
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  readdir: (dir) => fsp.readdir(dir),
  async readText(path) {
    try {
      return await fsp.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  async syncDirectory(dir) {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** How the files of one set are named: `out-00001.jsonl.gz`, …, `out.manifest.json`, in `dir`. */
export interface SetNames {
  dir: string;
  /** The manifest's path. */
  manifest: string;
  /** The path of part n (from 1). */
  part(n: number): string;
  /** A file name this set's parts have (the same extension and compression). */
  isPart(name: string): boolean;
  /** A file name a part of a set of this stem can have, whatever its extension (the old manifest's). */
  isAnyPart(name: string): boolean;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function setNames(dir: string, stem: string, extension: string): SetNames {
  const part = new RegExp(`^${escaped(stem)}-\\d{5,}${escaped(extension)}$`);
  const anyPart = new RegExp(`^${escaped(stem)}-\\d{5,}(?:\\.[^/\\\\]*)?$`);
  return {
    dir,
    manifest: join(dir, `${stem}.manifest.json`),
    part: (n) => join(dir, `${stem}-${String(n).padStart(5, '0')}${extension}`),
    isPart: (name) => part.test(name),
    isAnyPart: (name) => anyPart.test(name),
  };
}

/** The hidden names of a commit: `.NAME.TAG.part` (staged), `.NAME.TAG.old` (backup); TAG is `PID.HEX`. */
export const stagedName = (path: string, tag: string) => join(dirname(path), `.${basename(path)}.${tag}.part`);
export const backupName = (path: string, tag: string) => join(dirname(path), `.${basename(path)}.${tag}.old`);
const HIDDEN = /^\.(.+)\.((\d+)\.[0-9a-f]{12})\.(part|old)$/;
/** The temporary file of a staged part that was being written (dump's own, `.NAME.PID.HEX.tmp`). */
const WRITING = /^\.(\..+\.((\d+)\.[0-9a-f]{12})\.part)\.\d+\.[0-9a-f]{12}\.tmp$/;

/** A commit that failed and could not be undone: its staged files are kept for the next export to finish it. */
export class CommitLeftHalfway extends SourceError {}

/** The parts a manifest lists, as file names in its directory; a manifest that is not one is refused. */
function listedParts(text: string, names: SetNames): string[] {
  const refuse = (why: string) =>
    new SourceError(`${names.manifest} is not a manifest of a split export of this name (${why}): remove it or write the parts elsewhere`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw refuse('not JSON');
  }
  const files = (manifest as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw refuse('no "files" list');
  return files.map((file: unknown) => {
    const name = (file as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !names.isAnyPart(name)) throw refuse(`it lists ${JSON.stringify(name)}, which is not a part's name here`);
    return name;
  });
}

/** The earlier set in place: the parts its manifest lists (null: no manifest). */
export async function readOldSet(fs: SetFs, names: SetNames): Promise<string[] | null> {
  const text = await fs.readText(names.manifest);
  return text === null ? null : listedParts(text, names);
}

/** Refuses a file named like a part of the new set that the old manifest does not list. */
export async function refuseStrays(fs: SetFs, names: SetNames, old: string[] | null): Promise<void> {
  const listed = new Set(old ?? []);
  const stray = (await fs.readdir(names.dir)).sort().find((name) => names.isPart(name) && !listed.has(name));
  if (stray === undefined) return;
  const lister = old === null ? `no manifest (${names.manifest}) lists it` : `${names.manifest} does not list it`;
  throw new SourceError(
    `${join(names.dir, stray)} is named like a part of this export, but ${lister}: remove it or write the parts elsewhere (it is neither mixed into the new set nor deleted)`,
  );
}

/** One step of a commit, and how to undo it. */
interface Step {
  undo(): Promise<void>;
}

/**
 * Puts the new set in place (steps 2–5 above; `staged` is the manifest written in step 1):
 * `parts` are the final paths of the new parts, each staged under stagedName(path, tag).
 * Resolves with what could not be removed after the commit (backups), for a warning.
 */
export async function commitSet(fs: SetFs, names: SetNames, tag: string, parts: string[], old: string[] | null): Promise<string[]> {
  const done: Step[] = [];
  const step = async (from: string, to: string) => {
    await fs.rename(from, to);
    done.push({ undo: () => fs.rename(to, from) });
  };
  const staged = stagedName(names.manifest, tag);
  const backups: string[] = [];
  try {
    if (old !== null) {
      await step(names.manifest, backupName(names.manifest, tag));
      backups.push(backupName(names.manifest, tag));
      for (const path of await existing(fs, names, old)) {
        await step(path, backupName(path, tag));
        backups.push(backupName(path, tag));
      }
    }
    for (const path of parts) await step(stagedName(path, tag), path);
    await fs.syncDirectory(names.dir);
    await fs.rename(staged, names.manifest);
  } catch (error) {
    await undo(done, error, names);
    throw error;
  }
  await fs.syncDirectory(names.dir).catch(() => {}); // the commit is done; a later sync has less to lose
  return removeAll(fs, backups);
}

/** The paths of `files` (names in the set's directory) that are there. */
async function existing(fs: SetFs, names: SetNames, files: string[]): Promise<string[]> {
  const present = new Set(await fs.readdir(names.dir));
  return [...new Set(files)].filter((name) => present.has(name)).map((name) => join(names.dir, name));
}

/** Undoes `done` in reverse; on a failure stops (what is left is a state the commit passes through, which the next export finishes). */
async function undo(done: Step[], cause: unknown, names: SetNames): Promise<void> {
  for (const step of done.reverse()) {
    try {
      await step.undo();
    } catch (failure) {
      const reason = (failure as Error).message;
      throw new CommitLeftHalfway(
        `${(cause as Error).message}; and it could not be undone (${reason}): the next split export into ${names.dir} puts the new set in place first`,
        { cause },
      );
    }
  }
}

/** Unlinks each of `paths`; resolves with those that could not be removed. */
async function removeAll(fs: SetFs, paths: string[]): Promise<string[]> {
  const left: string[] = [];
  for (const path of paths) await fs.unlink(path).catch((error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && left.push(path));
  return left;
}


/** What an earlier export into this place left, by its tag: staged files, backups, its staged manifest. */
interface Leftovers {
  pid: number;
  staged: string[];
  backups: string[];
  manifest: string | null;
}

async function leftovers(fs: SetFs, names: SetNames, own: string): Promise<Map<string, Leftovers>> {
  const found = new Map<string, Leftovers>();
  const manifestName = basename(names.manifest);
  const entry = (tag: string, pid: string) => {
    const left = found.get(tag) ?? { pid: Number(pid), staged: [], backups: [], manifest: null };
    found.set(tag, left);
    return left;
  };
  for (const name of await fs.readdir(names.dir)) {
    const path = join(names.dir, name);
    const writing = WRITING.exec(name);
    const writtenName = writing === null ? null : HIDDEN.exec(writing[1])?.[1];
    if (writing !== null && writing[2] !== own && writtenName != null && (writtenName === manifestName || names.isAnyPart(writtenName))) {
      entry(writing[2], writing[3]).staged.push(path);
      continue;
    }
    const m = HIDDEN.exec(name);
    if (m === null || m[2] === own || (m[1] !== manifestName && !names.isAnyPart(m[1]))) continue;
    const left = entry(m[2], m[3]);
    if (m[4] === 'old') left.backups.push(path);
    else if (m[1] === manifestName) left.manifest = path;
    else left.staged.push(path);
  }
  return found;
}

/**
 * Finishes or clears what an interrupted export into this place left (see the top of this
 * file); refuses while another export is writing here (`isRunning` says whether the process of
 * that id can be). Resolves with notes for the summary.
 */
export async function recoverInterrupted(fs: SetFs, names: SetNames, own: string, isRunning = running): Promise<string[]> {
  const notes: string[] = [];
  for (const [tag, left] of await leftovers(fs, names, own)) {
    if (left.pid !== process.pid && isRunning(left.pid)) {
      throw new SourceError(
        `another export (process ${left.pid}) is writing a set into ${names.dir} under the name ${basename(names.manifest)}: wait for it, or write elsewhere (if it is not running, remove the hidden files .*.${tag}.*)`,
      );
    }
    if (left.manifest === null) {
      // Staged parts never committed, or backups of a commit that was done: neither is a set
      await removeAll(fs, [...left.staged, ...left.backups]);
      continue;
    }
    await finish(fs, names, tag, left.manifest);
    await removeAll(fs, left.staged.filter((path) => path.endsWith('.tmp')));
    notes.push(`${WARNING}an earlier export into ${names.dir} was interrupted while it put its set in place: that set is now in place (before this export replaces it)`);
  }
  return notes;
}

/** Does again every step of an interrupted commit that was not done; `staged` is its staged manifest. */
async function finish(fs: SetFs, names: SetNames, tag: string, staged: string): Promise<void> {
  const parts = listedParts((await fs.readText(staged)) ?? '', names);
  const oldText = (await fs.readText(names.manifest)) ?? (await fs.readText(backupName(names.manifest, tag)));
  const old = oldText === null ? [] : listedParts(oldText, names);
  const present = new Set(await fs.readdir(names.dir));
  const missing = parts.filter((name) => !present.has(name) && !present.has(basename(stagedName(name, tag))));
  if (missing.length > 0) {
    throw new SourceError(`an interrupted export into ${names.dir} left its set incomplete (${missing.join(', ')} missing): remove its hidden files .*.${tag}.* and the parts`);
  }
  const newNames = new Set(parts);
  for (const name of old) if (!newNames.has(name) && present.has(name)) await fs.unlink(join(names.dir, name));
  for (const name of parts) {
    const path = join(names.dir, name);
    if (present.has(basename(stagedName(path, tag)))) await fs.rename(stagedName(path, tag), path);
  }
  await fs.syncDirectory(names.dir);
  await fs.rename(staged, names.manifest);
  await fs.syncDirectory(names.dir);
  const after = await fs.readdir(names.dir);
  await removeAll(fs, after.filter((name) => name.endsWith(`.${tag}.old`)).map((name) => join(names.dir, name)));
}
