// `jsondump export --plan PLAN --all [--jobs N]`: every shard, N at a time, each in a child
// process of this same command (`export --plan PLAN --shard K`), so that each has a memory of
// its own and a crash or kill of one leaves the others. A complete shard's child finds it
// complete and leaves it: a rerun after a crash, a kill or a full disk goes on where the last
// one stopped. After a failure no shard is begun (one that fails tends to fail again: a full
// disk, a server gone); the running ones finish.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { counted, formatBytes, formatCount } from '../progress.js';
import type { LoadedPlan } from './plan-file.js';
import type { ShardRunArgs } from './shard-args.js';
import type { ShardOutcome } from './shard-export.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/** Set in a child's environment: it then writes its outcome as one line of JSON on stdout. */
export const REPORT_ENV = 'JSONDUMP_SHARD_REPORT';

/** Set in a child's environment: the digest of the plan --all began with, which the child's read of the plan must have. */
export const PLAN_DIGEST_ENV = 'JSONDUMP_SHARD_PLAN';

/** The exit status of a shard another process holds (lock.ts). */
export const EXIT_BUSY = 75;

export interface AllOutcome {
  exported: ShardOutcome[];
  complete: ShardOutcome[];
  busy: number[];
  failed: number[];
}

function childArgs(run: ShardRunArgs, k: number, summaries: boolean): string[] {
  const args = [MAIN, 'export', ...(run.source === null ? [] : [run.source]), '--plan', run.plan, '--shard', String(k), '-o', run.output];
  if (run.snapshot !== null) args.push('--snapshot', run.snapshot);
  if (run.quiet) args.push('-q');
  else if (summaries) args.push('--verbose');
  return args;
}

/** Runs shard `k` in a child; resolves with its exit status and outcome. */
function runChild(run: ShardRunArgs, digest: string, k: number, summaries: boolean, children: Set<ChildProcess>): Promise<{ status: number | null; outcome: ShardOutcome | null }> {
  // A group of its own: a Ctrl-C at the terminal reaches this process, which passes it on once
  const child = spawn(process.execPath, [...process.execArgv, ...childArgs(run, k, summaries)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // each child reads the plan's file again: a plan put at that path meanwhile must not be run
    env: { ...process.env, [REPORT_ENV]: '1', [PLAN_DIGEST_ENV]: digest },
    detached: true,
  });
  children.add(child);
  let report = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (report += text));
  // whole lines, so that two shards' messages never mix within one
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => process.stderr.write(`${line}\n`));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      children.delete(child);
      let outcome: ShardOutcome | null = null;
      try {
        outcome = status === 0 ? (JSON.parse(report) as ShardOutcome) : null;
      } catch {
        outcome = null;
      }
      resolve({ status, outcome });
    });
  });
}

/** Runs every shard of the plan, `run.jobs` at a time; `signal` passes a signal on to the children, then rejects. */
export async function runAll(loaded: LoadedPlan, run: ShardRunArgs, signal: AbortSignal, summaries: boolean): Promise<AllOutcome> {
  const result: AllOutcome = { exported: [], complete: [], busy: [], failed: [] };
  const children = new Set<ChildProcess>();
  const forward = () => {
    const name = (signal.reason as { signal?: NodeJS.Signals } | undefined)?.signal ?? 'SIGTERM';
    for (const child of children) child.kill(name);
  };
  signal.addEventListener('abort', forward, { once: true });
  let next = 0;
  const lane = async () => {
    while (next < loaded.plan.shards && result.failed.length === 0 && !signal.aborted) {
      const k = next++;
      const { status, outcome } = await runChild(run, loaded.digest, k, summaries, children);
      if (outcome !== null) (outcome.complete ? result.complete : result.exported).push(outcome);
      else if (status === EXIT_BUSY) result.busy.push(k);
      else result.failed.push(k);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(run.jobs, loaded.plan.shards) }, lane));
  } finally {
    signal.removeEventListener('abort', forward);
  }
  signal.throwIfAborted();
  return result;
}

const list = (shards: number[]) => shards.sort((a, b) => a - b).join(', ');

/** The closing lines of --all; the last says what to do when it did not finish. */
export function allSummary(outcome: AllOutcome, loaded: LoadedPlan, dir: string): { lines: string[]; done: boolean } {
  const { shards } = loaded.plan;
  const done = outcome.exported.length + outcome.complete.length;
  const rows = outcome.exported.reduce((n, o) => n + o.rows, 0);
  const bytes = outcome.exported.reduce((n, o) => n + o.bytes, 0);
  const lines = [`${done} of ${counted(shards, 'shard')} complete in ${dir}: ${formatCount(outcome.exported.length)} exported now (${counted(rows, 'row')}, ${formatBytes(bytes)}), ${formatCount(outcome.complete.length)} complete already`];
  if (outcome.busy.length > 0) lines.push(`${counted(outcome.busy.length, 'shard')} (${list(outcome.busy)}) being exported by other processes: not waited for`);
  if (outcome.failed.length > 0) lines.push(`${counted(outcome.failed.length, 'shard')} failed (${list(outcome.failed)}), their messages above: run the same command again to go on where it stopped`);
  else if (done < shards) lines.push(`${counted(shards - done, 'shard')} not complete: run the same command again to go on where it stopped`);
  return { lines, done: done === shards };
}
