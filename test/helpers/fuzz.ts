// Seeds and run counts of the fuzz tests. `npm test` runs each property with a fixed seed and
// the count written beside it (bounded so the suite stays fast); `npm run fuzz -- --seed S
// --runs N` (scripts/fuzz.js) sets JSONDUMP_FUZZ_SEED / JSONDUMP_FUZZ_RUNS to run every property
// of the fuzz files with that seed and N runs each.
//
// A failure prints the property's seed and fast-check's path; rerun it with
// `npm run fuzz -- --seed S --runs N test/<file>` (the path replays it exactly).

import type fc from 'fast-check';

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** The seed every property derives its own from; fixed unless the fuzz script gives one. */
export const BASE_SEED = envInt('JSONDUMP_FUZZ_SEED') ?? 20250701;

/** Runs per property when the fuzz script gives a count (the CI counts otherwise). */
export const RUNS_OVERRIDE = envInt('JSONDUMP_FUZZ_RUNS');

/** A property's own seed: the base seed mixed with its name (properties do not share cases). */
export function seedFor(name: string): number {
  let h = BASE_SEED | 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1) | 0;
  return h;
}

/** fast-check parameters for a property: its seed and `ciRuns` runs (or the fuzz script's count). */
export function fuzzParams<T>(name: string, ciRuns: number): fc.Parameters<T> {
  return { seed: seedFor(name), numRuns: RUNS_OVERRIDE ?? ciRuns, endOnFailure: true };
}

/** fc.sample's settings for a generated table: its seed and size. */
export function sampleParams(name: string, ciRuns: number): { seed: number; numRuns: number } {
  return { seed: seedFor(name), numRuns: RUNS_OVERRIDE ?? ciRuns };
}

/** "seed S, N runs", for test names and failure messages. */
export function describeRun(name: string, ciRuns: number): string {
  return `seed ${seedFor(name)}, ${RUNS_OVERRIDE ?? ciRuns} runs`;
}
