// Number text. 'js' is Number#toString (what JSON.stringify writes); 'python' is what CPython's
// json module writes for the same value: safe integers as int, everything else as repr(float).

/** Text of a finite number for the 'js' dialect. */
export function jsNumber(n: number): string {
  return '' + n;
}

/** Text of a finite number for the 'python' dialect. */
export function pyNumber(n: number): string {
  if (Number.isSafeInteger(n)) return '' + n; // also maps -0 to "0"
  const abs = n < 0 ? -n : n;
  if (abs >= 1e-4 && abs < 1e16) {
    // Same shortest digits as repr(); repr() always shows a fraction part in fixed notation.
    const s = '' + n;
    return s.includes('.') ? s : s + '.0';
  }
  // repr() switches to exponent notation outside [1e-4, 1e16) and pads the exponent to 2 digits.
  const s = n.toExponential();
  const e = s.indexOf('e');
  const exp = s.slice(e + 2);
  return s.slice(0, e + 2) + (exp.length < 2 ? '0' + exp : exp);
}

/** Text of a non-finite number when it is written as a literal (allowNaN). */
export function nonFiniteLiteral(n: number): string {
  return n !== n ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}
