// A floating-point column (SQLite REAL, MySQL FLOAT and DOUBLE, PostgreSQL float4 and float8)
// holds floats, and Python's drivers read them as floats: json.dumps writes 1.0, not 1, and
// -0.0, not 0. A JavaScript number does not say whether it was a float, so the sources mark
// such values, and in the python dialect they are written with repr(float)'s text.
import { RawJSON } from '../../index.js';
import { pyNumber } from '../../encode/number.js';

/** repr(float) of a finite number: a float's text also when the value is whole (1.0, -0.0, 1e+16). */
export function pythonFloatText(n: number): string {
  // below 1e16 repr() writes a whole float in fixed notation, with '.0'
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return Object.is(n, -0) ? '-0.0' : `${n}.0`;
  return pyNumber(n);
}

/**
 * A float column's value as the output dialect writes a float: in the python dialect repr()'s
 * text (non-finite values stay numbers: the dialect's allowNaN rule applies); otherwise the number.
 */
export function floatValue(n: number, python: boolean): unknown {
  return python && Number.isFinite(n) ? new RawJSON(pythonFloatText(n)) : n;
}
