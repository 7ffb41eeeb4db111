// Key handling of an object walker: Object.keys + indexed loop against for-in; quoting keys
// every time against a cache of quoted keys (a bounded Map), on database-like rows.

import { consume } from './common.js';
import { build } from '../datasets.js';

const rows = build('records', 0.0025, 1).value; // 1000 rows

function keysLoop(o) {
  let s = '';
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) s += JSON.stringify(keys[i]) + ':';
  return s;
}
function forIn(o) {
  let s = '';
  for (const k in o) s += JSON.stringify(k) + ':';
  return s;
}
const cache = new Map();
function cachedQuoted(o) {
  let s = '';
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    let q = cache.get(k);
    if (q === undefined) {
      q = JSON.stringify(k) + ':';
      if (cache.size < 4096) cache.set(k, q); // bounded: never grows with the data
    }
    s += q;
  }
  return s;
}
function plainQuote(o) {
  let s = '';
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) s += '"' + keys[i] + '":'; // only valid for keys needing no escape
  return s;
}

const over = (f) => () => { for (let i = 0; i < rows.length; i++) consume(f(rows[i])); };

export const suites = [{
  name: 'keys: 1000 rows × 16 keys per op',
  cases: {
    'Object.keys + loop, JSON.stringify(key)': over(keysLoop),
    'for-in, JSON.stringify(key)': over(forIn),
    'Object.keys + cached quoted keys (Map)': over(cachedQuoted),
    "Object.keys + '\"' + key + '\"' (no escaping)": over(plainQuote),
  },
  check: () => rows.forEach((r) => {
    const a = keysLoop(r);
    if (forIn(r) !== a || cachedQuoted(r) !== a || plainQuote(r) !== a) throw new Error('keys: outputs differ');
  }),
}];
