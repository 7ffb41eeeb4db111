// One process at a time exports a shard: it holds `part-K.lock`, created whole by a link that
// fails when the name is taken (atomic on NFS too), and holding its process id, host name,
// start and a random token.
// A lock is stale, and taken over, when its process is not running (a lock of this host), or
// when it has not been refreshed for LEASE_MS (a lock of another host: a killed pod of a
// Kubernetes Job, whose retry runs elsewhere). The holder refreshes its lock's time every
// REFRESH_MS, and before it commits checks that the lock is still its own, so that a holder
// whose lock was taken over (a machine paused past the lease) fails instead of committing.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { SourceError } from '../errors.js';
import { running } from '../process-alive.js';

/** A lock of another host that has not been refreshed for this long is stale: its clock and ours must agree to well within it. */
export const LEASE_MS = 120_000;
const REFRESH_MS = 15_000;

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  token: string;
}

/** The shard is being exported by another process: exit status 75 (EX_TEMPFAIL, try again later). */
export class ShardBusy extends SourceError {}

interface Found {
  /** null: not a lock's JSON (a lock written by hand, or a disk that failed). */
  holder: LockHolder | null;
  mtimeMs: number;
}

async function readLock(path: string): Promise<Found | null> {
  try {
    const [text, stats] = await Promise.all([fsp.readFile(path, 'utf8'), fsp.stat(path)]);
    let holder: LockHolder | null = null;
    try {
      const parsed = JSON.parse(text) as LockHolder;
      if (Number.isSafeInteger(parsed.pid) && typeof parsed.host === 'string' && typeof parsed.token === 'string') holder = parsed;
    } catch {
      holder = null;
    }
    return { holder, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A hidden name of this process beside the lock: `.part-00003.lock.PID.HEX.new` (written), `….stale` (moved aside). */
const hidden = (path: string, what: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.${what}`);


/** Why the lock `found` is stale, or null while its holder may be at work. */
export function staleness(found: Found, now: number, host = hostname()): string | null {
  const { holder } = found;
  const age = Math.round((now - found.mtimeMs) / 1000);
  if (holder !== null && holder.host === host) {
    if (holder.pid === process.pid) return `it names this process (${holder.pid}), which did not take it: an earlier process of the same id`;
    return running(holder.pid) ? null : `process ${holder.pid} on this host is not running`;
  }
  if (now - found.mtimeMs <= LEASE_MS) return null;
  return `${holder === null ? 'an unfinished lock' : `the lock of process ${holder.pid} on ${holder.host}`} not refreshed for ${age} s (a lock is stale after ${LEASE_MS / 1000} s)`;
}

/** Moves the stale lock aside; puts it back if it turns out to be a fresh one that replaced it meanwhile. */
async function breakLock(path: string, found: Found): Promise<boolean> {
  const aside = hidden(path, 'stale');
  try {
    await fsp.rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // another process broke it first
    throw error;
  }
  const moved = await readLock(aside);
  const same = moved !== null && (moved.holder?.token ?? null) === (found.holder?.token ?? null);
  if (!same) await fsp.link(aside, path).catch(() => {}); // its holder's commit check finds out if this fails
  await fsp.unlink(aside).catch(() => {});
  return same;
}

export class ShardLock {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  constructor(
    readonly path: string,
    readonly holder: LockHolder,
    /** How a lock taken over was stale, for the summary. */
    readonly tookOver: string | null,
  ) {
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    if (this.released) return;
    const now = new Date();
    await fsp.utimes(this.path, now, now).catch(() => {});
  }

  /** Throws unless the lock is still this process's. */
  async check(): Promise<void> {
    const found = await readLock(this.path);
    if (found?.holder?.token === this.holder.token) return;
    const other = found?.holder ? `process ${found.holder.pid} on ${found.holder.host}` : 'another process';
    throw new SourceError(`${this.path} is no longer this process's (${other} took it over, as stale): the shard was not put in place`);
  }

  /** Removes the lock, if it is still this process's. Never rejects. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    const found = await readLock(this.path).catch(() => null);
    if (found?.holder?.token === this.holder.token) await fsp.unlink(this.path).catch(() => {});
  }
}

/**
 * Creates the lock whole or not at all: written and synced under a name of its own, then
 * linked to its name, which fails if it is there (as O_EXCL would, NFS included). Resolves
 * false when another lock is there.
 */
async function create(path: string, holder: LockHolder): Promise<boolean> {
  const written = hidden(path, 'new');
  try {
    const handle = await fsp.open(written, 'wx');
    try {
      await handle.writeFile(JSON.stringify(holder) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.link(written, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fsp.unlink(written).catch(() => {});
  }
}

const describeHolder = (found: Found) =>
  found.holder === null ? 'a process that has not yet written its name' : `process ${found.holder.pid} on ${found.holder.host} since ${found.holder.since}`;

/** Takes the lock at `path` for `what` (e.g. "shard 3 of 16"), taking over a stale one; throws ShardBusy while another holds it. */
export async function takeLock(path: string, what: string): Promise<ShardLock> {
  let tookOver: string | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    if (await create(path, holder)) return new ShardLock(path, holder, tookOver);
    const found = await readLock(path);
    if (found === null) continue; // released meanwhile
    const stale = staleness(found, Date.now());
    if (stale === null) {
      throw new ShardBusy(`${what} is being exported by ${describeHolder(found)} (${path}): not run twice at once; if no such process runs, remove ${path}`);
    }
    if (await breakLock(path, found)) tookOver = `${path} was stale (${stale}): taken over`;
  }
  throw new ShardBusy(`${what}: other processes keep taking ${path}`);
}
