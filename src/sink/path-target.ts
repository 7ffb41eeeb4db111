// Opening a path destination, and what ends it: the atomic replacement (temporary file beside
// the target, fsync, rename, fsync of the directory) or plain close. Written once as procedures
// (see fs.ts) for dump and dumpSync.

import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badOption } from '../errors.js';
import { call, errno, type Proc } from './fs.js';

/** A file descriptor a file sink writes to, and what to do with it at the end. */
export interface OpenFile {
  readonly fd: number;
  /** The sink opened it, so the sink closes it; false for the caller's fd or FileHandle. */
  readonly owned: boolean;
  /** Atomic: the temporary file being written, renamed over `target` on success. */
  readonly temp: string | null;
  readonly target: string;
  closed: boolean;
}

/** The caller's file descriptor: written, never closed. */
export function callerFile(fd: number): OpenFile {
  return { fd, owned: false, temp: null, target: '', closed: false };
}

/** The file path a string or file: URL names. */
export function toPath(dest: string | URL): string {
  if (typeof dest === 'string') return dest;
  if (dest.protocol !== 'file:') throw badOption(`destination URL must be a file: URL, got ${dest.protocol}`);
  return fileURLToPath(dest);
}

/** The longest file name most file systems take (NAME_MAX), in bytes. */
const NAME_MAX = 255;

/** The longest start of `s` that is at most `max` UTF-8 bytes, never cutting a character. */
function utf8Prefix(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    end += ch.length;
  }
  return s.slice(0, end);
}

/**
 * A temporary name beside `target`, so the final rename stays on one file system. The target's
 * name is shortened to keep the whole name within NAME_MAX: any valid target name works.
 */
export function tempPath(target: string): string {
  const suffix = `.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const name = utf8Prefix(basename(target), NAME_MAX - 1 - suffix.length);
  return join(dirname(target), `.${name}${suffix}`);
}

/** Symbolic links followed at most, as the kernel does (MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * A name of an open file descriptor of this process: /dev/stdout, /dev/stderr, /dev/stdin,
 * /dev/fd/N, /proc/self/fd/N (or thread-self, or this process's id), with N in group 1..4.
 */
const DESCRIPTOR_NAME = /^\/(?:dev\/(?:(stdin)|(stdout)|(stderr)|fd\/(\d+))|proc\/(?:self|thread-self|(\d+))(?:\/task\/\d+)?\/fd\/(\d+))$/;

/** The descriptor `path` names, when it names one of this process's (see DESCRIPTOR_NAME), else null. */
function descriptorOf(path: string): number | null {
  const m = DESCRIPTOR_NAME.exec(resolve(path));
  if (m === null) return null;
  if (m[5] !== undefined && Number(m[5]) !== process.pid) return null;
  const n = m[1] ? 0 : m[2] ? 1 : m[3] ? 2 : Number(m[4] ?? m[6]);
  return Number.isSafeInteger(n) ? n : null;
}

/** Where a write to `path` really goes, with what is there now (null: nothing yet). */
interface Resolved {
  path: string;
  stats: Stats | null;
  /** The first link on the way that names a descriptor of this process (see descriptorOf), or null. */
  descriptor: number | null;
}

/** Symbolic links followed (a dangling one to the name it points at). */
function* resolveLinks(path: string): Proc<Resolved> {
  let descriptor: number | null = null;
  for (let links = 0; links <= MAX_LINKS; links++) {
    descriptor ??= descriptorOf(path);
    let stats: Stats;
    try {
      stats = yield* call('lstat', path);
    } catch (err) {
      if (errno(err) === 'ENOENT') return { path, stats: null, descriptor };
      throw err;
    }
    if (!stats.isSymbolicLink()) return { path, stats, descriptor };
    path = resolve(dirname(path), yield* call('readlink', path));
  }
  throw Object.assign(new Error(`ELOOP: too many symbolic links, open '${path}'`), { code: 'ELOOP', path });
}

/**
 * What `path` reaches, links followed, or null (nothing there yet, a dangling link, a loop).
 * Asked of `stat`: the link of a descriptor on a pipe reads `pipe:[…]`, which is no path, so
 * the links cannot be followed by name to what such a descriptor holds.
 */
function* statOf(path: string): Proc<Stats | null> {
  try {
    return yield* call('stat', path);
  } catch {
    return null;
  }
}

/** `err` of an fs call on `temp`, naming `target` in its place. */
function namingTarget(err: unknown, temp: string, target: string): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.path === temp) e.path = target;
  e.message = e.message.replaceAll(temp, target);
  return e;
}

/** chown refused: not root (EPERM), or an id this namespace cannot map (EINVAL). */
const CHOWN_REFUSED = new Set(['EPERM', 'EINVAL']);

/**
 * Opens a path for writing. Atomic: a temporary file beside the real target (a symbolic link is
 * followed, so the link stays and its target is replaced), created with the target's mode and
 * then given its owner and exact mode before any byte is written, so the data is never readable
 * by more users than the target allows. What cannot be replaced is written in place, atomic or
 * not: a target that is not a regular file (a pipe, FIFO, device, socket) is opened by its name;
 * a regular file reached through the name of one of this process's descriptors (/dev/stdout
 * when the shell sent stdout to a file) is written through that descriptor, at its offset and
 * never closed, as `>&1` would: renamed over or opened anew, the file would lose what the shell
 * wrote to it before (`{ echo header; …; } > out`) or overwrite it after.
 */
export function* openFile(dest: string | URL, atomic: boolean): Proc<OpenFile> {
  const path = toPath(dest);
  const direct = function* (): Proc<OpenFile> {
    const fd = yield* call('open', path, 'w');
    return { fd, owned: true, temp: null, target: path, closed: false };
  };
  const reached = yield* statOf(path);
  if (reached !== null && !reached.isFile()) return yield* direct();
  const { path: target, stats, descriptor } = yield* resolveLinks(path);
  if (descriptor !== null && reached !== null) return callerFile(descriptor);
  if (!atomic || (stats !== null && !stats.isFile())) return yield* direct();
  const temp = tempPath(target);
  // The open's mode goes through the umask, which only removes bits: never more open than the target.
  let fd: number;
  try {
    fd = yield* call('open', temp, 'wx', stats === null ? 0o666 : stats.mode & 0o777);
  } catch (err) {
    // ENOENT, EACCES, EROFS… are about the directory: name the file the caller gave, not the
    // hidden temporary name.
    throw namingTarget(err, temp, path);
  }
  const file: OpenFile = { fd, owned: true, temp, target, closed: false };
  if (stats === null) return file;
  try {
    try {
      yield* call('fchown', fd, stats.uid, stats.gid);
    } catch (err) {
      if (!CHOWN_REFUSED.has(errno(err) ?? '')) throw err;
    }
    // After chown, which clears set-id bits; this also restores bits the umask removed.
    yield* call('fchmod', fd, stats.mode & 0o7777);
  } catch (err) {
    yield* discard(file);
    throw err;
  }
  return file;
}

/**
 * After the last byte: an atomic write is fsynced, closed, renamed over its target, and the
 * directory fsynced so that the rename itself survives a crash. A caller's fd is left open.
 */
export function* commit(file: OpenFile): Proc<void> {
  if (!file.owned) return;
  try {
    if (file.temp !== null) yield* call('fsync', file.fd);
    file.closed = true;
    yield* call('close', file.fd);
    if (file.temp !== null) yield* call('rename', file.temp, file.target);
  } catch (err) {
    yield* discard(file);
    throw err;
  }
  if (file.temp !== null) yield* syncDirectory(dirname(file.target));
}

/**
 * Best effort: the rename is done and the new file complete, so a directory that cannot be
 * opened for reading (mode -wx) or a file system without directory fsync is no failure.
 */
function* syncDirectory(dir: string): Proc<void> {
  let fd: number;
  try {
    fd = yield* call('open', dir, 'r');
  } catch {
    return;
  }
  try {
    yield* call('fsync', fd);
  } catch {
    // EINVAL: this file system does not sync directories.
  }
  try {
    yield* call('close', fd);
  } catch {
    // Nothing was written through this fd.
  }
}

/** After a failure: the temporary file is removed, an fd the sink opened is closed. Never throws. */
export function* discard(file: OpenFile): Proc<void> {
  yield* removeTemp(file);
  yield* closeFile(file);
}

/** Removes the temporary file of an atomic write, if any. Never throws. */
export function* removeTemp(file: OpenFile): Proc<void> {
  if (file.temp === null) return;
  try {
    yield* call('unlink', file.temp);
  } catch {
    // Already gone.
  }
}

/** Closes an fd the sink opened, once. Never throws. */
export function* closeFile(file: OpenFile): Proc<void> {
  if (!file.owned || file.closed) return;
  file.closed = true;
  try {
    yield* call('close', file.fd);
  } catch {
    // The fd is released either way.
  }
}
