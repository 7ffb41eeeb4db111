// Shared helpers for the microbenchmarks (benchmark.js). Each bench/micro/*.js file exports
// `suites`: a list of { name, cases: { label: fn } } run by bench/micro/run.js.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const Benchmark = require('benchmark');

/** jsondump internals from dist/, or null when it is not built. */
export async function internals(file) {
  try {
    return await import(new URL(`../../dist/${file}`, import.meta.url));
  } catch {
    return null;
  }
}

/** Results of a suite as printable lines, fastest first, with relative speed. */
export function runSuite({ name, cases, check }, options) {
  if (check) check(); // every case must produce the same text before its speed counts
  const suite = new Benchmark.Suite(name);
  for (const [label, fn] of Object.entries(cases)) suite.add(label, fn, options);
  suite.run({ async: false });
  const results = suite.map((b) => ({ name: b.name, hz: b.hz, rme: b.stats.rme }));
  results.sort((a, b) => b.hz - a.hz);
  const top = results[0].hz;
  const lines = [`### ${name}`, '', '| case | ops/s | ± | relative |', '|---|---:|---:|---:|'];
  for (const r of results) {
    lines.push(`| ${r.name} | ${Math.round(r.hz).toLocaleString('en-US')} | ${r.rme.toFixed(1)}% | ${(r.hz / top).toFixed(2)} |`);
  }
  return lines.join('\n');
}

/** Throws unless every function returns the same value (checked before timing). */
export function sameOutputs(cases, ...args) {
  let first;
  for (const [label, fn] of Object.entries(cases)) {
    const got = fn(...args);
    if (first === undefined) first = { label, got };
    else if (got !== first.got) throw new Error(`micro: "${label}" differs from "${first.label}"`);
  }
}

// sink for results so V8 cannot drop the work
export let blackhole = 0;
export const consume = (x) => { blackhole = (blackhole + (typeof x === 'string' ? x.length : +x)) | 0; };
