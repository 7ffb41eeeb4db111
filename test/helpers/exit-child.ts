// The child process of exit-check.test.ts: runs generated values with faults (faults.ts)
// through dump (a path, an fd, a FileHandle, a Writable that fails), dumpLines, stringifyChunks
// and createStringifyStream (each given up by its consumer part way), then prints a summary
// and returns WITHOUT calling process.exit: the parent checks that the process then exits by
// itself, which it does only when nothing is left open (a timer, a file descriptor, a stream,
// a pending write). Compiled by the parent (node cannot run TypeScript); no vitest here.
//
// argv: <index.js of the library> <seed> <runs> <directory for the files>

import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { build, FaultError, JSONDUMP_CODES, jsonOptionsArb, planArb, type Plan } from './faults.js';

type Lib = typeof import('../../src/index.js');

const [libPath, seedArg, runsArg, dir] = process.argv.slice(2) as [string, string, string, string];
const lib = (await import(pathToFileURL(libPath).href)) as Lib;

const unhandled: string[] = [];
process.on('unhandledRejection', (e) => void unhandled.push(String(e)));

/** The open file descriptors on files of the cases' directory, as "fd path". */
const openFiles = (): string[] =>
  fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [`${fd} ${target}`] : [];
    } catch {
      return []; // the directory listing's own descriptor, closed by now
    }
  });

/** A failure the library may end a run with; anything else is counted as wrong. */
function expectedFailure(e: unknown): boolean {
  if (e instanceof FaultError) return true;
  if (e instanceof lib.JSONDumpError) return JSONDUMP_CODES.has(e.code);
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || (e as Error | null)?.message === 'destination failed';
}

async function settle(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    return expectedFailure(e) ? 'failed as expected' : `WRONG ERROR ${String(e)}`;
  }
}

function failingWritable(at: number): Writable {
  let writes = 0;
  const w = new Writable({
    highWaterMark: 16,
    write(_chunk, _enc, cb) {
      if (++writes === at) setImmediate(() => (at % 2 ? cb(new Error('destination failed')) : w.destroy()));
      else setImmediate(cb);
    },
  });
  w.on('error', () => {});
  return w;
}

async function oneCase(plan: Plan, o: Record<string, unknown>, at: number, i: number): Promise<string[]> {
  const target = path.join(dir, `case-${i}.json`);
  const outcomes: string[] = [];
  outcomes.push(await settle(() => lib.dump(build(plan), target, o)));
  outcomes.push(await settle(() => lib.dump(build(plan), failingWritable(at), o)));
  outcomes.push(
    await settle(async () => {
      const fd = fs.openSync(path.join(dir, `fd-${i}.json`), 'w');
      try {
        await lib.dump(build(plan), fd, o);
      } finally {
        fs.closeSync(fd);
      }
    }),
  );
  outcomes.push(
    await settle(async () => {
      const fh = await fs.promises.open(path.join(dir, `fh-${i}.json`), 'w');
      try {
        await lib.dump(build(plan), fh, o);
      } finally {
        await fh.close();
      }
    }),
  );
  if (plan.k === 'arr' || plan.k === 'gen' || plan.k === 'agen') {
    outcomes.push(await settle(() => lib.dumpLines(build(plan), path.join(dir, `lines-${i}.jsonl`), o)));
  }
  // consumers that give up after `at` chunks
  outcomes.push(
    await settle(async () => {
      let n = 0;
      for await (const _ of lib.stringifyChunks(build(plan), { ...o, chunkSize: 2 })) if (++n === at) break;
    }),
  );
  outcomes.push(
    await settle(async () => {
      const s = lib.createStringifyStream(build(plan), { ...o, chunkSize: 2 });
      let n = 0;
      for await (const _ of s) if (++n === at) s.destroy();
    }),
  );
  return outcomes;
}

const seed = Number(seedArg);
const runs = Number(runsArg);
const cases = fc.sample(fc.tuple(planArb(true), jsonOptionsArb, fc.integer({ min: 1, max: 6 })), { seed, numRuns: runs });
const counts: Record<string, number> = {};
for (const [i, [plan, o, at]] of cases.entries()) {
  for (const outcome of await oneCase(plan, o, at, i)) counts[outcome] = (counts[outcome] ?? 0) + 1;
}
// Let late settlements and their rejections come out, then report.
await new Promise((r) => setTimeout(r, 20));
const leftOpen = openFiles();
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ cases: cases.length, counts, unhandled, leftOpen }) + '\n');
