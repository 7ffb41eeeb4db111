// JSON text as UTF-8 bytes, written straight into a byte buffer: the one byte-level text module
// of the project, shared by the re-encoder (reformat/) and the CLI's row encoders (cli/rows/).
// Strings are escaped as JSON.stringify escapes them (lower-case hex, \b \t \n \f \r, lone
// surrogates as \uDXXX), code points encoded as UTF-8, integers written as digits, and UTF-8
// read back into code points.
//
// Each writer takes the buffer and the offset to write at and returns the offset after what it
// wrote. Nothing is checked against the buffer's length: a typed array ignores a store past its
// end, so a caller that finds the returned offset past the end knows the text did not fit, and
// how many bytes it needs (the offset counts them all). `node bench/export/run.js --jobs sqlite`
// shows what writing bytes saves the row encoders: a JSON.stringify string per row, then
// Buffer.write, cost about twice as much as these loops.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const NEWLINE = 0x0a;

const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/** The letter of the two-character escape JSON.stringify writes for a control character, or 0 (it writes \u00XX). */
export const SHORT_ESCAPE = new Uint8Array(32);
SHORT_ESCAPE[0x08] = 0x62; // \b
SHORT_ESCAPE[0x09] = 0x74; // \t
SHORT_ESCAPE[0x0a] = 0x6e; // \n
SHORT_ESCAPE[0x0c] = 0x66; // \f
SHORT_ESCAPE[0x0d] = 0x72; // \r

/** Escapes that JSON.parse then JSON.stringify write back unchanged: \" \\ \b \f \n \r \t. */
export const KEPT_ESCAPE = new Uint8Array(256);
for (const c of '"\\bfnrt') KEPT_ESCAPE[c.charCodeAt(0)] = 1;

/** `\uXXXX` of one UTF-16 code unit, hex digits in lower case (as JSON.stringify and Python write them). */
export function writeUnicodeEscape(buf: Uint8Array, off: number, unit: number): number {
  buf[off] = BACKSLASH;
  buf[off + 1] = 0x75; // u
  buf[off + 2] = HEX[unit >> 12];
  buf[off + 3] = HEX[(unit >> 8) & 15];
  buf[off + 4] = HEX[(unit >> 4) & 15];
  buf[off + 5] = HEX[unit & 15];
  return off + 6;
}

/** A code point from U+0080 to U+FFFF, not a surrogate, as its two or three UTF-8 bytes. */
function writeBmp(buf: Uint8Array, off: number, c: number): number {
  if (c < 0x800) {
    buf[off] = 0xc0 | (c >> 6);
    buf[off + 1] = 0x80 | (c & 63);
    return off + 2;
  }
  buf[off] = 0xe0 | (c >> 12);
  buf[off + 1] = 0x80 | ((c >> 6) & 63);
  buf[off + 2] = 0x80 | (c & 63);
  return off + 3;
}

/** A code point from U+10000 as its four UTF-8 bytes. */
function writeAstral(buf: Uint8Array, off: number, cp: number): number {
  buf[off] = 0xf0 | (cp >> 18);
  buf[off + 1] = 0x80 | ((cp >> 12) & 63);
  buf[off + 2] = 0x80 | ((cp >> 6) & 63);
  buf[off + 3] = 0x80 | (cp & 63);
  return off + 4;
}

/** The UTF-8 bytes of a code point (not a surrogate). */
export function writeCodePoint(buf: Uint8Array, off: number, cp: number): number {
  if (cp < 0x80) {
    buf[off] = cp;
    return off + 1;
  }
  return cp < 0x10000 ? writeBmp(buf, off, cp) : writeAstral(buf, off, cp);
}

/** The length of the UTF-8 sequence that a (valid) lead byte starts. */
export function utf8Length(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** The code point of the (valid, whole) UTF-8 sequence of two or more bytes at bytes[i]. */
export function readUtf8(bytes: Uint8Array, i: number): number {
  const lead = bytes[i];
  if (lead < 0xe0) return ((lead & 31) << 6) | (bytes[i + 1] & 63);
  if (lead < 0xf0) return ((lead & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63);
  return ((lead & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63);
}

/** The value of a hex digit byte, or -1. */
export function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Whether a string written since the last `replacementWritten()` held U+FFFD, the character a
 * driver puts for bytes that are not UTF-8: the SQLite source checks such text against its
 * bytes (see cli/rows/row-bytes.ts). Noted here, where each character is looked at anyway.
 */
let replacement = false;

/** True when U+FFFD was written (or noted) since the last call. */
export function replacementWritten(): boolean {
  const seen = replacement;
  replacement = false;
  return seen;
}

/** Notes a U+FFFD written by other means than writeJsonString. */
export function noteReplacement(): void {
  replacement = true;
}

/**
 * `JSON.stringify(s)` as UTF-8: quotes, `\"` `\\` `\b` `\t` `\n` `\f` `\r`, other controls and
 * lone surrogates as `\u00XX` / `\uDXXX`. At most 6 bytes per code unit, plus the quotes.
 */
export function writeJsonString(buf: Uint8Array, off: number, s: string): number {
  buf[off++] = QUOTE;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) {
        buf[off++] = c;
      } else if (c >= 0x20) {
        buf[off] = BACKSLASH;
        buf[off + 1] = c;
        off += 2;
      } else if (SHORT_ESCAPE[c] !== 0) {
        buf[off] = BACKSLASH;
        buf[off + 1] = SHORT_ESCAPE[c];
        off += 2;
      } else {
        off = writeUnicodeEscape(buf, off, c);
      }
    } else if (c < 0xd800 || c > 0xdfff) {
      if (c === 0xfffd) replacement = true;
      off = writeBmp(buf, off, c);
    } else {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && d >= 0xdc00 && d <= 0xdfff) {
        off = writeAstral(buf, off, 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
      } else {
        off = writeUnicodeEscape(buf, off, c);
      }
    }
  }
  buf[off++] = QUOTE;
  return off;
}

/** Any text as UTF-8, a lone surrogate as U+FFFD (as Buffer.write encodes it). */
export function writeText(buf: Uint8Array, off: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[off++] = c;
    } else if (c < 0xd800 || c > 0xdfff) {
      off = writeBmp(buf, off, c);
    } else {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && d >= 0xdc00 && d <= 0xdfff) {
        off = writeAstral(buf, off, 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
      } else {
        buf[off] = 0xef;
        buf[off + 1] = 0xbf;
        buf[off + 2] = 0xbd;
        off += 3;
      }
    }
  }
  return off;
}

/** Text known to be ASCII (number text), one byte per character. */
export function writeAscii(buf: Uint8Array, off: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[off++] = s.charCodeAt(i);
  return off;
}

/** A safe integer (|n| < 2^53) as its decimal digits, without making a string. */
export function writeSafeInteger(buf: Uint8Array, off: number, n: number): number {
  if (n < 0) {
    buf[off++] = 45;
    n = -n;
  }
  if (n < 10) {
    buf[off] = 48 + n;
    return off + 1;
  }
  let digits = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
  const end = off + digits;
  for (let at = end - 1; at >= off; at--) {
    const q = Math.floor(n / 10);
    buf[at] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

/** A bigint as its decimal digits: exact whatever its size. */
export function writeBigInt(buf: Uint8Array, off: number, v: bigint): number {
  const n = Number(v);
  return Number.isSafeInteger(n) ? writeSafeInteger(buf, off, n) : writeAscii(buf, off, String(v));
}

/** Bytes copied in a loop: for the short pieces between values, a call into the runtime costs more. */
export function writeBytes(buf: Uint8Array, off: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[off++] = bytes[i];
  return off;
}

const BASE64 = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));

/** Bytes as a JSON string of their base64 (with padding, as Buffer#toString('base64') writes it). */
export function writeBase64String(buf: Uint8Array, off: number, bytes: Uint8Array): number {
  buf[off++] = QUOTE;
  const n = bytes.length;
  const whole = n - (n % 3);
  let i = 0;
  for (; i < whole; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    buf[off] = BASE64[v >> 18];
    buf[off + 1] = BASE64[(v >> 12) & 63];
    buf[off + 2] = BASE64[(v >> 6) & 63];
    buf[off + 3] = BASE64[v & 63];
    off += 4;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (bytes[i] << 16) | (two ? bytes[i + 1] << 8 : 0);
    buf[off] = BASE64[v >> 18];
    buf[off + 1] = BASE64[(v >> 12) & 63];
    buf[off + 2] = two ? BASE64[(v >> 6) & 63] : 61; // '='
    buf[off + 3] = 61;
    off += 4;
  }
  buf[off++] = QUOTE;
  return off;
}

/** Bytes as a JSON string of their hex digits, in lower case (as Buffer#toString('hex') writes them). */
export function writeHexString(buf: Uint8Array, off: number, bytes: Uint8Array): number {
  buf[off++] = QUOTE;
  for (let i = 0; i < bytes.length; i++) {
    buf[off] = HEX[bytes[i] >> 4];
    buf[off + 1] = HEX[bytes[i] & 15];
    off += 2;
  }
  buf[off++] = QUOTE;
  return off;
}

// Bytes given as the upper-case hex SQLite's hex() writes (the text of a record SQLite wrote,
// cli/rows/text-stitch.ts), written as --blob asks without decoding them first.

/** The value of an upper-case hex digit (as SQLite's hex() writes them), by byte. */
const HEX_VALUE = new Uint8Array(128);
for (let d = 0; d < 16; d++) HEX_VALUE['0123456789ABCDEF'.charCodeAt(d)] = d;

/** Bytes given as upper-case hex (text[from, to)) as a JSON string of their base64. */
export function writeBase64OfHex(text: Uint8Array, from: number, to: number, buf: Uint8Array, off: number): number {
  buf[off++] = QUOTE;
  let i = from;
  for (; i + 6 <= to; i += 6) {
    const v =
      (HEX_VALUE[text[i]] << 20) | (HEX_VALUE[text[i + 1]] << 16) | (HEX_VALUE[text[i + 2]] << 12) |
      (HEX_VALUE[text[i + 3]] << 8) | (HEX_VALUE[text[i + 4]] << 4) | HEX_VALUE[text[i + 5]];
    buf[off] = BASE64[v >> 18];
    buf[off + 1] = BASE64[(v >> 12) & 63];
    buf[off + 2] = BASE64[(v >> 6) & 63];
    buf[off + 3] = BASE64[v & 63];
    off += 4;
  }
  const left = (to - i) >> 1; // bytes: 0, 1 or 2
  if (left > 0) {
    const v = ((HEX_VALUE[text[i]] << 20) | (HEX_VALUE[text[i + 1]] << 16)) | (left === 2 ? (HEX_VALUE[text[i + 2]] << 12) | (HEX_VALUE[text[i + 3]] << 8) : 0);
    buf[off] = BASE64[v >> 18];
    buf[off + 1] = BASE64[(v >> 12) & 63];
    buf[off + 2] = left === 2 ? BASE64[(v >> 6) & 63] : 0x3d;
    buf[off + 3] = 0x3d;
    off += 4;
  }
  buf[off++] = QUOTE;
  return off;
}

/** Upper-case hex (text[from, to)) as a JSON string of lower-case hex, as Buffer#toString('hex') writes it. */
export function writeLowerHexOfHex(text: Uint8Array, from: number, to: number, buf: Uint8Array, off: number): number {
  buf[off++] = QUOTE;
  for (let i = from; i < to; i++) buf[off++] = HEX[HEX_VALUE[text[i]]];
  buf[off++] = QUOTE;
  return off;
}
