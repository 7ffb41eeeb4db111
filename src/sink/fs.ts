// The file sinks describe their file-system work once, as a procedure (a generator that yields
// the calls it needs), and run it with sync calls for dumpSync or callback calls for dump: the
// atomic-rename steps and the bounded write retry exist once for both. The calls go to a
// `FileSystem`, node:fs by default; the fault-injection tests hand in a fake one.

import fs from 'node:fs';

/** The functions of node:fs the file sinks call, in both forms. */
export type FileSystem = Pick<
  typeof fs,
  | 'open' | 'openSync' | 'close' | 'closeSync' | 'write' | 'writeSync' | 'fsync' | 'fsyncSync'
  | 'fdatasync' | 'fdatasyncSync' | 'fchmod' | 'fchmodSync' | 'fchown' | 'fchownSync'
  | 'rename' | 'renameSync' | 'unlink' | 'unlinkSync' | 'lstat' | 'lstatSync' | 'stat' | 'statSync'
  | 'readlink' | 'readlinkSync'
>;

/** The calls a procedure can make, by their sync signatures; `sleep` waits (a retry's pause). */
interface Calls {
  open(path: string, flags: string, mode?: number): number;
  close(fd: number): void;
  write(fd: number, buf: Uint8Array, offset: number, length: number): number;
  fsync(fd: number): void;
  fdatasync(fd: number): void;
  fchmod(fd: number, mode: number): void;
  fchown(fd: number, uid: number, gid: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  lstat(path: string): fs.Stats;
  stat(path: string): fs.Stats;
  readlink(path: string): string;
  sleep(ms: number): void;
}

type Op = keyof Calls;
interface Call {
  op: Op;
  args: unknown[];
}

/** A file-system procedure: run it with runSync or runAsync. */
export type Proc<T> = Generator<Call, T, unknown>;

/** One call of a procedure: `const fd = yield* call('open', path, 'w')`. */
export function* call<K extends Op>(op: K, ...args: Parameters<Calls[K]>): Proc<ReturnType<Calls[K]>> {
  return (yield { op, args }) as ReturnType<Calls[K]>;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

type Fn = (...args: unknown[]) => unknown;

function callSync(fsys: FileSystem, { op, args }: Call): unknown {
  if (op === 'sleep') return void Atomics.wait(sleeper, 0, 0, args[0] as number);
  return (fsys[`${op}Sync` as keyof FileSystem] as Fn)(...args);
}

function callAsync(fsys: FileSystem, { op, args }: Call): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (op === 'sleep') {
      setTimeout(resolve, args[0] as number);
      return;
    }
    (fsys[op] as Fn)(...args, (err: unknown, result: unknown) => (err ? reject(err) : resolve(result)));
  });
}

/** Runs a procedure with sync calls. */
export function runSync<T>(proc: Proc<T>, fsys: FileSystem = fs): T {
  let step = proc.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = callSync(fsys, step.value);
    } catch (err) {
      step = proc.throw(err);
      continue;
    }
    step = proc.next(result);
  }
  return step.value;
}

/** Runs a procedure with callback calls (the thread pool), never blocking the event loop. */
export async function runAsync<T>(proc: Proc<T>, fsys: FileSystem = fs): Promise<T> {
  let step = proc.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = await callAsync(fsys, step.value);
    } catch (err) {
      step = proc.throw(err);
      continue;
    }
    step = proc.next(result);
  }
  return step.value;
}

/** The errno code of a file-system error. */
export function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}
