// Number text: String(n) against a template literal and '' + n; the python dialect's
// repr(float) conversion (jsondump's pyNumber from dist/encode/number.js when built) against a
// naive regex rewrite of toString().

import { internals, consume } from './common.js';
import { makeRng } from '../datasets.js';

const rng = makeRng(11);
const INPUTS = {
  'small ints': Array.from({ length: 1000 }, () => (rng() * 100000) | 0),
  'floats (17 digits)': Array.from({ length: 1000 }, () => rng() * 1000),
  'tiny / huge floats': Array.from({ length: 1000 }, (_, i) => (i & 1 ? rng() * 1e-7 : rng() * 1e22)),
};

/** repr(float) by rewriting toString(): exponent padding, '.0' for integral values. */
function naivePy(n) {
  if (Number.isSafeInteger(n)) return String(n);
  let s = String(n);
  const abs = Math.abs(n);
  if (abs >= 1e16 || (abs < 1e-4 && abs !== 0)) {
    s = n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  } else if (!s.includes('.')) {
    s += '.0';
  }
  return s;
}

const number = await internals('encode/number.js');

export const suites = Object.entries(INPUTS).map(([kind, nums]) => {
  const one = (f) => () => { for (let i = 0; i < nums.length; i++) consume(f(nums[i])); };
  const cases = {
    'String(n)': one(String),
    'template literal': one((n) => `${n}`),
    "'' + n": one((n) => '' + n),
    'python: naive rewrite': one(naivePy),
  };
  if (number) {
    cases['jsondump jsNumber'] = one(number.jsNumber);
    cases['jsondump pyNumber'] = one(number.pyNumber);
  }
  return {
    name: `number text: ${kind} (1000 numbers per op)`,
    cases,
    check: () => {
      if (!number) return;
      for (const n of nums) {
        if (number.pyNumber(n) !== naivePy(n)) throw new Error(`pyNumber(${n}) ${number.pyNumber(n)} ≠ ${naivePy(n)}`);
      }
    },
  };
});
