// A PostgreSQL float's own text (float8out, float4out) rewritten in the notation of the output's
// dialect, its digits kept. From PostgreSQL 12 on, with extra_float_digits ≥ 1, the server
// writes the shortest digits that read back as the same value (Ryu), and these are the digits
// of JavaScript's Number#toString and of Python's repr(float) (both the shortest, the nearest
// when several are as short); only where each switches to an exponent and how it writes one
// differ:
//   PostgreSQL: fixed for 1e-4 ≤ |x| < 1e15, else 1.5e-05, 1e+15 (two exponent digits at least);
//   js:         fixed for 1e-7 < |x| < 1e21 (0.000001, 100000000000000000000), else 1e-7, 1e+21;
//   python:     fixed for 1e-4 ≤ |x| < 1e16, a whole number with '.0', else as PostgreSQL.
// -0 is 0 in js and -0.0 in python. In the common case (fixed, js) the text is copied as it is:
// String() of the double (readDoubleBE) took about 4 µs a value in the everyday-mix profile
// (`node bench/export/run.js --jobs postgres`), Ryu on the server well under one.
//
// One exception: PostgreSQL's Ryu never picks a decimal that lies exactly halfway between two
// doubles, where JavaScript and Python take it when it reads back as this double (round half
// to even): 1e23 is 9.999999999999999e+22 there, 1e+23 here. A halfway point with fewer than 17
// digits is an integer of 54 significant bits or more (one that is not an integer has 17 digits
// or more), so only a value of 2^53 or more can differ: from 1e15 up (PostgreSQL's exponent of
// 15 or more) the text is left to the caller, which reads the double and writes it as before.
import type { RecordBytes } from './record-bytes.js';

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const E = 0x65;
const PLUS = 0x2b;

/** Whether the float text at data[start] is a finite number ('NaN', 'Infinity', '-Infinity' are not). */
export function finiteFloatText(data: Uint8Array, start: number): boolean {
  const first = data[data[start] === MINUS ? start + 1 : start];
  return first >= ZERO && first <= ZERO + 9;
}

/** Scratch of the digits of one value (17 at most for a double, 9 for a float4). */
const DIGITS = new Uint8Array(32);

/** The magnitude (10^(n-1)) from which the caller writes the double itself (see the top of the file). */
const LARGE = 16;

/**
 * Writes finite float text data[start, end) as the dialect writes the number (see the top of the
 * file); false (nothing written) for a magnitude of 1e15 or more.
 */
export function writeFloatText(data: Uint8Array, start: number, end: number, out: RecordBytes, python: boolean): boolean {
  const negative = data[start] === MINUS;
  let exp = -1;
  for (let i = start; i < end; i++) {
    if (data[i] === E) {
      exp = i;
      break;
    }
  }
  out.ensure(end - start + 30);
  const buf = out.buf;
  let pos = out.pos;
  if (exp < 0 && !python) {
    // fixed in both (below 1e15): as it is, but -0
    if (negative && end - start === 2 && data[start + 1] === ZERO) buf[pos++] = ZERO;
    else for (let i = start; i < end; i++) buf[pos++] = data[i];
    out.pos = pos;
    return true;
  }
  // the digits without leading zeros, and n: where the decimal point goes (value = 0.DIGITS × 10^n)
  let count = 0;
  let n = 0;
  let seenDot = false;
  const mantissaEnd = exp < 0 ? end : exp;
  for (let i = negative ? start + 1 : start; i < mantissaEnd; i++) {
    const c = data[i];
    if (c === DOT) {
      seenDot = true;
      continue;
    }
    if (count === 0 && c === ZERO) {
      if (seenDot) n--;
      continue;
    }
    DIGITS[count++] = c;
    if (!seenDot) n++;
  }
  if (exp >= 0) {
    let e = 0;
    let i = exp + 1;
    const sign = data[i] === MINUS ? -1 : 1;
    if (data[i] === MINUS || data[i] === PLUS) i++;
    for (; i < end; i++) e = e * 10 + (data[i] - ZERO);
    n += sign * e;
    if (n >= LARGE) return false;
  }
  if (negative && (count > 0 || python)) buf[pos++] = MINUS;
  if (count === 0) {
    // zero: 0 in js (-0 too), 0.0 or -0.0 in python
    buf[pos++] = ZERO;
    if (python) {
      buf[pos++] = DOT;
      buf[pos++] = ZERO;
    }
  } else if (python ? n > -4 && n <= 16 : n > -6 && n <= 21) pos = fixed(buf, pos, count, n, python);
  else pos = exponent(buf, pos, count, n - 1, python);
  out.pos = pos;
  return true;
}

/** DIGITS[0, count) with the decimal point after n of them (n ≤ 0: 0.000…); python: '.0' after a whole number. */
function fixed(buf: Uint8Array, pos: number, count: number, n: number, python: boolean): number {
  if (n <= 0) {
    buf[pos++] = ZERO;
    buf[pos++] = DOT;
    for (let k = n; k < 0; k++) buf[pos++] = ZERO;
    for (let k = 0; k < count; k++) buf[pos++] = DIGITS[k];
    return pos;
  }
  for (let k = 0; k < n; k++) buf[pos++] = k < count ? DIGITS[k] : ZERO;
  if (count > n) {
    buf[pos++] = DOT;
    for (let k = n; k < count; k++) buf[pos++] = DIGITS[k];
  } else if (python) {
    buf[pos++] = DOT;
    buf[pos++] = ZERO;
  }
  return pos;
}

/** d.ddd e±x: js writes the exponent's digits as they are, python two at least. */
function exponent(buf: Uint8Array, pos: number, count: number, e: number, python: boolean): number {
  buf[pos++] = DIGITS[0];
  if (count > 1) {
    buf[pos++] = DOT;
    for (let k = 1; k < count; k++) buf[pos++] = DIGITS[k];
  }
  buf[pos++] = E;
  buf[pos++] = e < 0 ? MINUS : PLUS;
  if (e < 0) e = -e;
  if (e >= 100) buf[pos++] = ZERO + Math.floor(e / 100);
  if (e >= 10 || python) buf[pos++] = ZERO + (Math.floor(e / 10) % 10);
  buf[pos++] = ZERO + (e % 10);
  return pos;
}
