// The files and streams the variants of variants.ts write to, and the checks they make there:
// a path target keeps its old content on failure and no temporary file is left; a Writable keeps
// the listeners it had; an fd is left open for its owner.

import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { DumpStats } from '../../src/index.js';
import type { Output } from './variants.js';

let root: string | null = null;
let counter = 0;

/**
 * This process's directory for the variants' files (removed at exit): on tmpfs where there is
 * one, since every atomic write ends with two fsyncs that only cost time on a disk.
 */
function variantDir(): string {
  if (root === null) {
    const base = fs.existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    root = fs.mkdtempSync(join(base, 'jsondump-variants-'));
    const r = root;
    process.once('exit', () => fs.rmSync(r, { recursive: true, force: true }));
  }
  return root;
}

/** A fresh path in the variants' directory. */
export function freshPath(ext = 'json'): string {
  return join(variantDir(), `out-${process.pid}-${++counter}.${ext}`);
}

/** A fresh empty directory (removed at exit). */
export function freshDir(): string {
  const d = join(variantDir(), `d-${process.pid}-${++counter}`);
  fs.mkdirSync(d);
  return d;
}

export function decode(chunks: (string | Buffer | Uint8Array)[]): string {
  if (chunks.every((c) => typeof c === 'string')) return (chunks as string[]).join('');
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c)))).toString('utf8');
}

export async function collectReadable(r: Readable, onChunk: (c: string | Buffer) => void): Promise<Output> {
  const chunks: (string | Buffer)[] = [];
  for await (const c of r) {
    chunks.push(c as string | Buffer);
    onChunk(c as string | Buffer);
  }
  return { text: decode(chunks), encoded: chunks.some((c) => typeof c !== 'string') };
}

/** The text as it reads back after a round trip through UTF-8 (lone surrogates become U+FFFD). */
export function throughUTF8(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Attaches `problems` to an error thrown by a variant, so that they are reported with it. */
export class VariantFailure {
  constructor(
    readonly error: unknown,
    readonly problems: string[],
  ) {}
}

const OLD = 'OLD CONTENT, NOT JSON\n';

/** The directory's entries that were not there before (`before` from readdirSync). */
function newEntries(dir: string, before: readonly string[]): string[] {
  const had = new Set(before);
  return fs.readdirSync(dir).filter((e) => !had.has(e));
}

/**
 * Runs `write(target)`, every other time over an existing target with old content, and checks
 * what atomic writes promise: on success only the target is new in the directory; on failure the
 * old target is intact (or absent) and no temporary file is left.
 */
export async function atPath(write: (target: string) => Promise<DumpStats> | DumpStats): Promise<Output> {
  const target = freshPath();
  const dir = variantDir();
  const hadOld = counter % 2 === 0;
  if (hadOld) fs.writeFileSync(target, OLD);
  const before = fs.readdirSync(dir);
  const problems: string[] = [];
  try {
    let stats: DumpStats;
    try {
      stats = await write(target);
    } catch (error) {
      const left = newEntries(dir, before);
      if (hadOld && fs.readFileSync(target, 'utf8') !== OLD) problems.push('a failed dump changed the old target');
      if (left.length !== 0) problems.push(`a failed dump left ${JSON.stringify(left)}`);
      throw new VariantFailure(error, problems);
    }
    const left = newEntries(dir, before).filter((e) => join(dir, e) !== target);
    if (left.length !== 0) problems.push(`the dump left ${JSON.stringify(left)} beside the target`);
    return { text: fs.readFileSync(target, 'utf8'), encoded: true, stats, problems };
  } finally {
    fs.rmSync(target, { force: true });
  }
}

/** Opens a temporary file as an fd, runs `write(fd)`, checks the fd is still open, reads the file back. */
export async function atFd(write: (fd: number) => Promise<DumpStats> | DumpStats): Promise<Output> {
  const file = freshPath();
  const fd = fs.openSync(file, 'w');
  const problems: string[] = [];
  try {
    let stats: DumpStats;
    try {
      stats = await write(fd);
    } finally {
      try {
        fs.fstatSync(fd);
      } catch {
        problems.push('the dump closed an fd it does not own');
      }
    }
    return { text: fs.readFileSync(file, 'utf8'), encoded: true, stats, problems };
  } catch (error) {
    throw new VariantFailure(error, problems);
  } finally {
    if (problems.length === 0) fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

const WATCHED_EVENTS = ['error', 'drain', 'close', 'finish', 'unpipe', 'prefinish'] as const;

function listenerCounts(w: Writable): string {
  return WATCHED_EVENTS.map((e) => `${e}:${w.listenerCount(e)}`).join(' ');
}

/**
 * A Writable that records its chunks, with a small highWaterMark (write() returns false, so the
 * dump waits for 'drain') and callbacks alternately synchronous and on the next turn.
 */
export function recordingWritable(onChunk: (c: string | Buffer) => void): { w: Writable; chunks: (string | Buffer)[] } {
  const chunks: (string | Buffer)[] = [];
  let n = 0;
  const w = new Writable({
    decodeStrings: false,
    highWaterMark: 64,
    write(chunk: string | Buffer, _enc, cb) {
      chunks.push(chunk);
      onChunk(chunk);
      if (++n % 2 === 0) setImmediate(cb);
      else cb();
    },
  });
  return { w, chunks };
}

/** Dumps to a recording Writable and checks that the listeners it had are all it has after. */
export async function toWritable(
  run: (w: Writable) => Promise<DumpStats>,
  onChunk: (c: string | Buffer) => void,
): Promise<{ text: string; encoded: boolean; stats: DumpStats; problems: string[] }> {
  const { w, chunks } = recordingWritable(onChunk);
  w.on('error', () => {}); // the dump reports errors; the test must not crash on an unlistened one
  const before = listenerCounts(w);
  const problems: string[] = [];
  const checkListeners = (): void => {
    const after = listenerCounts(w);
    if (after !== before) problems.push(`listeners on the destination: before ${before}, after ${after}`);
  };
  let stats: DumpStats;
  try {
    stats = await run(w);
  } catch (error) {
    checkListeners();
    throw new VariantFailure(error, problems);
  }
  checkListeners();
  return { text: decode(chunks), encoded: chunks.some((c) => typeof c !== 'string'), stats, problems };
}
