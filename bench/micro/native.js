// The native fast path (src/walk/plain-runs.ts, src/walk/plain.ts) on database-like rows:
//  - a run of rows through one JSON.stringify call on the slice, against one call per row
//    joined with commas (what a walker without runs would do);
//  - ways to read a plain object's values for the plain check: Object.values, for-in,
//    Object.keys + o[k], and jsondump's own PlainCheck (dist/walk/plain.js) when built.

import { consume, internals } from './common.js';
import { build } from '../datasets.js';

const rows = build('records', 0.005, 1).value; // 2000 rows

function perRow() {
  let s = '[';
  for (let i = 0; i < rows.length; i++) s += (i > 0 ? ',' : '') + JSON.stringify(rows[i]);
  consume(s + ']');
}

function oneRun() {
  consume(JSON.stringify(rows));
}

/** A value count of a row tree, reading values the given way (strings, numbers, booleans, null, arrays, objects). */
function counter(valuesOf) {
  function count(v) {
    if (typeof v !== 'object' || v === null) return 1;
    if (Array.isArray(v)) {
      let n = 1;
      for (let i = 0; i < v.length; i++) n += count(v[i]);
      return n;
    }
    let n = 1;
    for (const x of valuesOf(v)) n += count(x);
    return n;
  }
  return () => {
    let n = 0;
    for (let i = 0; i < rows.length; i++) n += count(rows[i]);
    consume(n);
  };
}

function forIn(o) {
  const out = [];
  for (const k in o) out.push(o[k]);
  return out;
}

function keysThenGet(o) {
  const keys = Object.keys(o);
  const out = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = o[keys[i]];
  return out;
}

/** Own values without calling a getter (an accessor reads as undefined here). */
function descriptors(o) {
  const keys = Object.keys(o);
  const out = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = Object.getOwnPropertyDescriptor(o, keys[i]).value;
  return out;
}

/** Own values, testing each key with __lookupGetter__ first (the test plain.ts used before). */
const lookupGetterOf = Object.prototype.__lookupGetter__;
function lookupThenGet(o) {
  const keys = Object.keys(o);
  const out = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = lookupGetterOf.call(o, keys[i]) === undefined ? o[keys[i]] : undefined;
  return out;
}

const checks = {
  'Object.values': counter(Object.values),
  'for-in': counter(forIn),
  'Object.keys + o[k]': counter(keysThenGet),
  'Object.keys + __lookupGetter__ test, then o[k] (no getter called)': counter(lookupThenGet),
  'Object.keys + getOwnPropertyDescriptor (no getter called)': counter(descriptors),
};
const plain = await internals('walk/plain.js');
if (plain !== null) {
  const checker = new plain.PlainCheck(0, false);
  checks["jsondump's PlainCheck"] = () => {
    let n = 0;
    for (let i = 0; i < rows.length; i++) n += checker.count(rows[i], Infinity);
    consume(n);
  };
}

// Array elements read without calling a getter an index may have: the accessor test per
// element is the cost (vectors of 64 numbers, as embeddings are stored).
const vectors = Array.from({ length: 2000 }, (_, i) => Array.from({ length: 64 }, (_, j) => Math.sin(i * 64 + j)));
const lookupGetter = Object.prototype.__lookupGetter__;
function sumElements(read) {
  return () => {
    let n = 0;
    for (let v = 0; v < vectors.length; v++) {
      const a = vectors[v];
      for (let i = 0; i < a.length; i++) n += read(a, i);
    }
    consume(n);
  };
}

export const suites = [
  {
    name: `native runs: ${rows.length} rows, one JSON.stringify per row vs one per run`,
    cases: { 'one call per row, joined': perRow, 'one call on the run': oneRun },
  },
  { name: `plain check: reading the values of ${rows.length} rows`, cases: checks },
  {
    name: `array elements: ${vectors.length} vectors of 64 numbers`,
    cases: {
      'a[i]': sumElements((a, i) => a[i]),
      '__lookupGetter__ test, then a[i]': sumElements((a, i) => (lookupGetter.call(a, i) === undefined ? a[i] : 0)),
      'getOwnPropertyDescriptor(a, i).value': sumElements((a, i) => Object.getOwnPropertyDescriptor(a, i).value),
    },
  },
];
