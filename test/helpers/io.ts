// I/O helpers shared by the test files: a per-file temporary directory, a recording Writable,
// and readers that join what a stream or async iterable yields.
import { afterAll, beforeAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { dump, dumpSync } from '../../src/index.js';
import type { DumpOptions } from '../../src/index.js';

export interface TempDir {
  /** The directory (set in beforeAll). */
  readonly path: string;
  /** A path in the directory: `name`, or a fresh `out-N.json`. */
  file(name?: string): string;
  /** A fresh empty subdirectory. */
  dir(): string;
}

/**
 * A temporary directory `jsondump-<label>-…`, created before the file's tests and removed after
 * them (registers its own beforeAll/afterAll).
 */
export function useTempDir(label: string): TempDir {
  let root = '';
  let seq = 0;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), `jsondump-${label}-`));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    get path() {
      return root;
    },
    file: (name?: string) => path.join(root, name ?? `out-${seq++}.json`),
    dir: () => fs.mkdtempSync(path.join(root, `d${seq++}-`)),
  };
}

export interface Collector {
  w: Writable;
  /** Everything written, decoded as UTF-8. */
  text: () => string;
  /** Everything written. */
  bytes: () => Buffer;
  /** How many write() calls reached the sink (a failed one included). */
  writes: () => number;
}

export interface CollectorOptions {
  /** The Writable's highWaterMark (default: Node's). */
  highWaterMark?: number;
  /** Callback delay per write: ms (0: synchronous callback) or 'immediate' (setImmediate). */
  delay?: number | 'immediate';
  /** The write number that fails (with `error`, or Error('sink failed')) on the next turn. */
  failAt?: number;
  error?: Error;
  /** Attach a no-op 'error' listener. */
  ignoreErrors?: boolean;
}

/** A Writable that records what it gets. */
export function collector(opts: CollectorOptions = {}): Collector {
  const parts: Buffer[] = [];
  let n = 0;
  const w = new Writable({
    ...(opts.highWaterMark !== undefined ? { highWaterMark: opts.highWaterMark } : {}),
    write(chunk: Buffer | string, enc: BufferEncoding, cb: (e?: Error | null) => void) {
      n++;
      if (opts.failAt !== undefined && n === opts.failAt) {
        setImmediate(() => cb(opts.error ?? new Error('sink failed')));
        return;
      }
      parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, enc));
      if (opts.delay === 'immediate') setImmediate(cb);
      else if (opts.delay) setTimeout(cb, opts.delay);
      else cb();
    },
  });
  if (opts.ignoreErrors) w.on('error', () => {});
  return { w, text: () => Buffer.concat(parts).toString('utf8'), bytes: () => Buffer.concat(parts), writes: () => n };
}

/** Everything a Readable yields, decoded as UTF-8. */
export async function streamText(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

/** The strings an async iterable yields, joined. */
export async function joinAsync(it: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of it) s += c;
  return s;
}

/** The text dumpSync writes to a fresh file of `tmp`. */
export function dumpSyncText(tmp: TempDir, value: unknown, o?: DumpOptions): string {
  const p = tmp.file();
  dumpSync(value, p, o);
  return fs.readFileSync(p, 'utf8');
}

/** The text dump writes to a fresh file of `tmp`. */
export async function dumpFileText(tmp: TempDir, value: unknown, o?: DumpOptions): Promise<string> {
  const p = tmp.file();
  await dump(value, p, o);
  return fs.readFileSync(p, 'utf8');
}

/** The text dump writes to a collector(). */
export async function dumpWritableText(value: unknown, o?: DumpOptions): Promise<string> {
  const c = collector();
  await dump(value, c.w, o);
  return c.text();
}
