// String escaping. V8's JSON.stringify(string) is the fastest escaper there is (a native loop
// with a no-escape fast path) and already writes lone surrogates as \udXXX, so everything here
// starts from its output.

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_RUNS = /[\u007f-\uffff]+/g;
const HEX = '0123456789abcdef';

// A run of non-ASCII characters per call: a fifth faster than one call per character on
// text heavy with them, and no slower on rows with a few (bench/micro/escape.js).
function escapeRun(run: string): string {
  let out = '';
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    out += '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
  }
  return out;
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
