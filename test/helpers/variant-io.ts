// The files and streams the variants of variants.ts write to, and the checks they make there:
// a path target keeps its old content on failure and no temporary file is left; a Writable keeps
// the listeners it had; an fd is left open for its owner.

import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { DumpStats } from '../../src/index.js';
import type { Output } from './variants.js';

/** Where the variants' files go: tmpfs where there is one (every atomic write ends with two fsyncs, which only cost time on a disk). */
const BASE = fs.existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
let counter = 0;

/**
 * Runs `use` with a fresh empty directory of its own, removed after (nothing is left behind
 * whatever happens, and what appears in it can only come from `use`).
 */
async function inFreshDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(join(BASE, 'jsondump-variant-'));
  try {
    return await use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

/**
 * Runs `write(target)`, every other time over an existing target with old content, and checks
 * what atomic writes promise: on success only the target is in its directory; on failure the
 * old target is intact (or absent) and no temporary file is left. (With `atomic: false` a failed
 * dump keeps its partial target by design: such options are not run through the variants.)
 */
export function atPath(write: (target: string) => Promise<DumpStats> | DumpStats): Promise<Output> {
  return inFreshDir(async (dir) => {
    const target = join(dir, 'target.json');
    const hadOld = ++counter % 2 === 0;
    if (hadOld) fs.writeFileSync(target, OLD);
    const problems: string[] = [];
    let stats: DumpStats;
    try {
      stats = await write(target);
    } catch (error) {
      const left = fs.readdirSync(dir).filter((e) => !(hadOld && e === 'target.json'));
      if (hadOld && fs.readFileSync(target, 'utf8') !== OLD) problems.push('a failed dump changed the old target');
      if (left.length !== 0) problems.push(`a failed dump left ${JSON.stringify(left)}`);
      throw new VariantFailure(error, problems);
    }
    const left = fs.readdirSync(dir).filter((e) => e !== 'target.json');
    if (left.length !== 0) problems.push(`the dump left ${JSON.stringify(left)} beside the target`);
    return { text: fs.readFileSync(target, 'utf8'), encoded: true, stats, problems };
  });
}

/** Opens a file as an fd, runs `write(fd)`, checks the fd is still open, reads the file back. */
export function atFd(write: (fd: number) => Promise<DumpStats> | DumpStats): Promise<Output> {
  return inFreshDir(async (dir) => {
    const file = join(dir, 'out.json');
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
    }
  });
}

/** Opens a file as a FileHandle, runs `write(fh)`, checks the handle is still open, reads the file back. */
export function atFileHandle(write: (fh: fs.promises.FileHandle) => Promise<DumpStats>): Promise<Output> {
  return inFreshDir(async (dir) => {
    const file = join(dir, 'out.json');
    const fh = await fs.promises.open(file, 'w');
    try {
      const stats = await write(fh);
      const problems = fh.fd === -1 ? ['the dump closed a FileHandle it does not own'] : [];
      return { text: fs.readFileSync(file, 'utf8'), encoded: true, stats, problems };
    } finally {
      await fh.close().catch(() => {});
    }
  });
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
