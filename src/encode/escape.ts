// String escaping. V8's JSON.stringify(string) is the fastest escaper there is (a native loop
// with a no-escape fast path) and already writes lone surrogates as \udXXX, so everything here
// starts from its output.

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_RUNS = /[\u007f-\uffff]+/g;
const HEX = '0123456789abcdef';
const HEX_BYTES = Buffer.from(HEX, 'latin1');
/** Runs at least this long are escaped through a byte buffer. */
const LONG_RUN = 16;

// A run of non-ASCII characters per call: a fifth faster than one call per character on
// text heavy with them, and no slower on rows with a few (bench/micro/escape.js).
function escapeRun(run: string): string {
  if (run.length >= LONG_RUN) return escapeLongRun(run);
  let out = '';
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    out += '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
  }
  return out;
}

/**
 * A long run written as bytes into a buffer, then read back as one flat string: string
 * concatenation would build a rope of a node per character (a 10M-character CJK text took
 * 0.7 GB that way), and is several times slower on runs this long (bench/micro/escape.js).
 */
function escapeLongRun(run: string): string {
  const n = run.length;
  const buf = Buffer.allocUnsafe(n * 6);
  for (let i = 0, o = 0; i < n; i++, o += 6) {
    const c = run.charCodeAt(i);
    buf[o] = 0x5c; // \
    buf[o + 1] = 0x75; // u
    buf[o + 2] = HEX_BYTES[c >> 12];
    buf[o + 3] = HEX_BYTES[(c >> 8) & 15];
    buf[o + 4] = HEX_BYTES[(c >> 4) & 15];
    buf[o + 5] = HEX_BYTES[c & 15];
  }
  return buf.toString('latin1', 0, n * 6);
}

/**
 * Escapes every character of JSON text outside printable ASCII as \uXXXX (astral characters as
 * a surrogate pair). Safe on whole JSON documents: raw non-ASCII only ever occurs inside strings.
 */
export function asciiOnly(jsonText: string): string {
  return NON_ASCII.test(jsonText) ? jsonText.replace(NON_ASCII_RUNS, escapeRun) : jsonText;
}

/** The JSON string literal for `s`, as JSON.stringify writes it. */
export const quote = JSON.stringify as (s: string) => string;

/** The JSON string literal for `s` with only printable ASCII characters (Python's ensure_ascii). */
export function quoteAscii(s: string): string {
  return asciiOnly(JSON.stringify(s));
}

/** A lower bound of quote(s).length (quoteAscii's with `ascii`), without building it. */
export function minQuotedLength(s: string, ascii: boolean): number {
  let n = s.length + 2;
  if (ascii) for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x7f) n += 5;
  return n;
}
