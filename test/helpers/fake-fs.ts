// A node:fs that fails on purpose, in the style of sonic-boom's tests: every call the file sinks
// make goes to the real fs unless the test's script says otherwise for it. The script sees each
// call (name, its number among calls of that name, arguments) and answers an errno code to fail
// it with, a byte count to cut a write short, or undefined to let it through. Calls are recorded
// in order, so a test can check what happened when (fsync before rename, and so on).

import fs from 'node:fs';
import type { FileSystem } from '../../src/sink/fs.js';

export const OPS = ['open', 'close', 'write', 'fsync', 'fdatasync', 'fchmod', 'fchown', 'rename', 'unlink', 'lstat', 'stat', 'readlink'] as const;
export type FsOp = (typeof OPS)[number];

export interface FsCall {
  op: FsOp;
  /** 1-based: the how-many-th call of `op`. */
  n: number;
  args: unknown[];
  /** How it ended: 'ok', or the errno code it failed with. */
  result?: string;
  /** What it returned (an fd for open, a byte count for write). */
  value?: unknown;
}

/** An errno code to fail with, a byte count to write at most (writes only), or undefined: pass. */
export type Script = (call: FsCall) => string | number | undefined;

export interface FakeFs {
  fs: FileSystem;
  calls: FsCall[];
  /** The recorded calls of `op`. */
  of(op: FsOp): FsCall[];
}

export function errnoError(code: string, op: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault, ${op}`), { code, syscall: op });
}

type Fn = (...args: unknown[]) => unknown;

export function fakeFs(script: Script = () => undefined): FakeFs {
  const calls: FsCall[] = [];
  const counts = new Map<FsOp, number>();
  const fake: Record<string, unknown> = {};
  const begin = (op: FsOp, args: unknown[]): { call: FsCall; verdict: string | number | undefined } => {
    const n = (counts.get(op) ?? 0) + 1;
    counts.set(op, n);
    const call: FsCall = { op, n, args };
    calls.push(call);
    const verdict = script(call);
    if (typeof verdict === 'number' && op === 'write') args[3] = Math.min(args[3] as number, verdict);
    return { call, verdict };
  };
  for (const op of OPS) {
    const real = fs[op] as unknown as Fn;
    const realSync = fs[`${op}Sync`] as unknown as Fn;
    fake[op] = (...args: unknown[]) => {
      const cb = args.pop() as (err: unknown, result?: unknown) => void;
      const { call, verdict } = begin(op, args);
      if (typeof verdict === 'string') {
        call.result = verdict;
        setImmediate(() => cb(errnoError(verdict, op)));
        return;
      }
      real(...args, (err: NodeJS.ErrnoException | null, result: unknown) => {
        call.result = err ? err.code : 'ok';
        call.value = result;
        cb(err, result);
      });
    };
    fake[`${op}Sync`] = (...args: unknown[]) => {
      const { call, verdict } = begin(op, args);
      if (typeof verdict === 'string') {
        call.result = verdict;
        throw errnoError(verdict, op);
      }
      try {
        const result = realSync(...args);
        call.result = 'ok';
        call.value = result;
        return result;
      } catch (err) {
        call.result = (err as NodeJS.ErrnoException).code;
        throw err;
      }
    };
  }
  return { fs: fake as unknown as FileSystem, calls, of: (op) => calls.filter((c) => c.op === op) };
}
