// String escaping. V8's JSON.stringify(string) is the fastest escaper there is (a native loop
// with a no-escape fast path) and already writes lone surrogates as \udXXX, so everything here
// starts from its output.

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;

function hex4(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Escapes every character of JSON text outside printable ASCII as \uXXXX (astral characters as
 * a surrogate pair). Safe on whole JSON documents: raw non-ASCII only ever occurs inside strings.
 */
export function asciiOnly(jsonText: string): string {
  return NON_ASCII.test(jsonText) ? jsonText.replace(NON_ASCII_ALL, hex4) : jsonText;
}

/** The JSON string literal for `s`, as JSON.stringify writes it. */
export const quote = JSON.stringify as (s: string) => string;

/** The JSON string literal for `s` with only printable ASCII characters (Python's ensure_ascii). */
export function quoteAscii(s: string): string {
  return asciiOnly(JSON.stringify(s));
}
