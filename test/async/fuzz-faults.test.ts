// Every output is valid JSON or an error. Generated values with faults anywhere in them
// (helpers/faults.ts: throwing getters and toJSON, rejecting promises, throwing generators,
// erroring Readables, NaN with allowNaN false, cycles) and options whose output is JSON go
// through every variant of helpers/variants.ts, and through dump to Writables that fail after N
// writes (with an error, or by closing) or are aborted, and to consumers that give up part way.
// Each run must either write text that
// parses (JSON Lines: every line), or fail with the caller's own error (the FaultError the
// value threw, unchanged), a JSONDumpError with a documented code, or the destination's error.
// And whatever the outcome: a path target keeps its old content and no temporary file is left
// (the path variants check it), the destination has the listeners it had, nothing is left
// unhandled (no unhandled rejection, no uncaught exception). That the process exits by itself
// (no open handle) is checked in a child process by exit-check.test.ts.
// Seeded and bounded (helpers/fuzz.ts); `npm run fuzz` runs more.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import { Writable } from 'node:stream';
import { createStringifyStream, dump, JSONDumpError, stringifyChunks } from '../../src/index.js';
import type { DumpStats } from '../../src/index.js';
import { BASE_SEED, describeRun, fuzzParams } from '../helpers/fuzz.js';
import { build, FaultError, isAsyncPlan, JSONDUMP_CODES, jsonOptionsArb, notJSON, planArb, type Plan } from '../helpers/faults.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { statsDisagreement, statsMiscount } from '../helpers/compare-variants.js';
import { allVariantsSettled, describeError, type Options, type Settled } from '../helpers/variants.js';

const events = recordProcessEvents({ uncaught: true });

/** null when the error is one a failed run may end with; otherwise what is wrong with it. */
function badError(e: unknown, faults: Set<FaultError>, extra: (e: unknown) => boolean = () => false): string | null {
  if (e instanceof FaultError) return faults.has(e) ? null : `a FaultError of another value: ${e.message}`;
  if (e instanceof JSONDumpError) return JSONDUMP_CODES.has(e.code) ? null : `undocumented code ${e.code}`;
  if (extra(e)) return null;
  return `unexpected error ${describeError(e)}`;
}

/** What is wrong with one variant's outcome. */
function variantProblems(name: string, r: Settled, faults: Set<FaultError>): string[] {
  const out = (r.problems ?? []).map((p) => `${name}: ${p}`);
  if (r.ok) {
    if (r.text === null) return out;
    const bad = name === 'dumpLines' ? notJSON(r.written ?? '', true) : notJSON(r.text);
    if (bad !== null) out.push(`${name}: wrote text that is not JSON: ${bad}`);
  } else {
    const bad = badError(r.error, faults);
    if (bad !== null) out.push(`${name}: ${bad}`);
  }
  return out;
}

/** The listener counts that matter on a Writable. */
function listeners(w: Writable): string {
  return ['error', 'drain', 'close', 'finish', 'unpipe'].map((e) => `${e}:${w.listenerCount(e)}`).join(' ');
}

type Destination = { fail: 'error' | 'close' | 'abort'; at: number };

/**
 * dump to a Writable that errors, closes, or whose dump is aborted, at its `at`-th write (or
 * finishes first): the outcome, and the listeners left.
 */
async function faultyDump(plan: Plan, o: Options, d: Destination): Promise<string[]> {
  const faults = new Set<FaultError>();
  const destError = new Error('destination failed');
  const controller = new AbortController();
  const parts: Buffer[] = [];
  let writes = 0;
  const w = new Writable({
    highWaterMark: 32,
    write(chunk: Buffer, _enc, cb) {
      if (++writes === d.at) {
        if (d.fail === 'error') return void setImmediate(() => cb(destError));
        if (d.fail === 'close') return void setImmediate(() => w.destroy());
        controller.abort();
      }
      parts.push(chunk);
      setImmediate(cb);
    },
  });
  w.on('error', () => {});
  const before = listeners(w);
  const options = d.fail === 'abort' ? { ...o, signal: controller.signal } : o;
  const problems: string[] = [];
  let outcome: DumpStats | { error: unknown };
  try {
    outcome = await dump(build(plan, faults), w, options);
  } catch (error) {
    outcome = { error };
  }
  if ('error' in outcome) {
    const bad = badError(outcome.error, faults, (e) => e === destError || (e as NodeJS.ErrnoException | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE');
    if (bad !== null) problems.push(`dump to a Writable that fails (${d.fail} at write ${d.at}): ${bad}`);
  } else {
    const bad = notJSON(Buffer.concat(parts).toString('utf8'));
    if (bad !== null) problems.push(`dump to a Writable (${d.fail} at write ${d.at}) resolved with text that is not JSON: ${bad}`);
  }
  if (listeners(w) !== before) problems.push(`dump to a Writable (${d.fail} at write ${d.at}) left listeners: ${before} → ${listeners(w)}`);
  const onSignal = getEventListeners(controller.signal, 'abort').length;
  if (onSignal !== 0) problems.push(`dump to a Writable (${d.fail} at write ${d.at}) left ${onSignal} 'abort' listener(s) on the signal`);
  return problems;
}

/**
 * Consumers that give up after `at` chunks: a stringifyChunks loop that breaks, a
 * createStringifyStream destroyed. Giving up is no failure: it must raise nothing but what the
 * value raised first.
 */
async function givenUp(plan: Plan, o: Options, at: number): Promise<string[]> {
  const problems: string[] = [];
  const small = { ...o, chunkSize: 2 } as Options;
  for (const kind of ['stringifyChunks', 'createStringifyStream'] as const) {
    const faults = new Set<FaultError>();
    try {
      let n = 0;
      if (kind === 'stringifyChunks') {
        for await (const _ of stringifyChunks(build(plan, faults), small)) if (++n === at) break;
      } else {
        const s = createStringifyStream(build(plan, faults), small);
        for await (const _ of s) {
          if (++n === at) {
            s.destroy();
            break;
          }
        }
      }
    } catch (e) {
      const bad = badError(e, faults);
      if (bad !== null) problems.push(`${kind} given up after ${at} chunks: ${bad}`);
    }
  }
  return problems;
}

/** Unhandled rejections and uncaught exceptions since the last call. */
function leaked(): string[] {
  const out = [
    ...events.unhandled.map((e) => `unhandled rejection: ${describeError(e)}`),
    ...events.uncaught.map((e) => `uncaught exception: ${describeError(e)}`),
  ];
  events.unhandled.length = 0;
  events.uncaught.length = 0;
  return out;
}

const destination = fc.record({ fail: fc.constantFrom<Destination['fail']>('error', 'close', 'abort'), at: fc.integer({ min: 1, max: 6 }) });

async function checkCase(plan: Plan, o: Options, d: Destination): Promise<void> {
  const faults = new Set<FaultError>();
  const settled = await allVariantsSettled(() => build(plan, faults), o, { async: isAsyncPlan(plan) });
  const problems = Object.entries(settled).flatMap(([name, r]) => variantProblems(name, r, faults));
  problems.push(...statsDisagreement(settled, ''), ...statsMiscount(settled));
  problems.push(...(await faultyDump(plan, o, d)));
  if (isAsyncPlan(plan)) problems.push(...(await givenUp(plan, o, d.at)));
  // Rejections are reported after the turn they happen in.
  await new Promise((r) => setImmediate(r));
  problems.push(...leaked());
  expect(problems).toEqual([]);
}

const SYNC = 'sync values with faults: every variant writes JSON or fails with the right error';
const SYNC_RUNS = 500;
const ASYNC = 'async values with faults: every variant writes JSON or fails with the right error';
const ASYNC_RUNS = 600;

/** Values with faults (with async parts when `async`) through everything: see the top of the file. */
function faultProperty(name: string, runs: number, async: boolean): void {
  it(`${name} (${describeRun(name, runs)})`, async () => {
    await fc.assert(
      fc.asyncProperty(planArb(async), jsonOptionsArb, destination, async (plan, o, d) => {
        await checkCase(plan, o as Options, d);
      }),
      fuzzParams(name, runs),
    );
    await settle();
    expect(leaked()).toEqual([]);
  });
}

describe(`every output is valid JSON or an error (base seed ${BASE_SEED})`, () => {
  faultProperty(SYNC, SYNC_RUNS, false);
  faultProperty(ASYNC, ASYNC_RUNS, true);
});
