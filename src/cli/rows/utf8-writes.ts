// JSON text written straight into a byte buffer, without a string per value: a string as
// JSON.stringify escapes it, encoded as UTF-8 on the way; integers as digits; any text as UTF-8.
// Each function takes the buffer and the offset to write at and returns the offset after it.
//
// Nothing is checked against the buffer's length: a typed array ignores a store past its end, so
// a caller that finds the returned offset past the end knows the value did not fit, and how
// many bytes it needs (the offset counts them all). `node bench/export/run.js --jobs sqlite`
// shows what this saves: a JSON.stringify string per row, then Buffer.write, cost about twice
// as much as these loops.

const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/** The escape letter of \b \t \n \f \r, by code unit; 0 where JSON.stringify writes \u00XX. */
const SHORT = new Uint8Array(32);
SHORT[8] = 98;
SHORT[9] = 116;
SHORT[10] = 110;
SHORT[12] = 102;
SHORT[13] = 114;

/** `\uXXXX` of one UTF-16 code unit, hex digits in lower case as JSON.stringify writes them. */
function unicodeEscape(buf: Uint8Array, off: number, c: number): number {
  buf[off] = 92;
  buf[off + 1] = 117;
  buf[off + 2] = HEX[c >> 12];
  buf[off + 3] = HEX[(c >> 8) & 15];
  buf[off + 4] = HEX[(c >> 4) & 15];
  buf[off + 5] = HEX[c & 15];
  return off + 6;
}

/** A code point from U+0080 to U+FFFF, not a surrogate, as its two or three UTF-8 bytes. */
function bmp(buf: Uint8Array, off: number, c: number): number {
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
function astral(buf: Uint8Array, off: number, cp: number): number {
  buf[off] = 0xf0 | (cp >> 18);
  buf[off + 1] = 0x80 | ((cp >> 12) & 63);
  buf[off + 2] = 0x80 | ((cp >> 6) & 63);
  buf[off + 3] = 0x80 | (cp & 63);
  return off + 4;
}

/**
 * Whether a string written since the last `replacementWritten()` held U+FFFD, the character a
 * driver puts for bytes that are not UTF-8: such text is checked against its bytes (see
 * RowBytes). Noted here, where each character is looked at anyway.
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
  buf[off++] = 34;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 34 && c !== 92) {
        buf[off++] = c;
      } else if (c >= 0x20) {
        buf[off] = 92;
        buf[off + 1] = c;
        off += 2;
      } else if (SHORT[c] !== 0) {
        buf[off] = 92;
        buf[off + 1] = SHORT[c];
        off += 2;
      } else {
        off = unicodeEscape(buf, off, c);
      }
    } else if (c < 0xd800 || c > 0xdfff) {
      if (c === 0xfffd) replacement = true;
      off = bmp(buf, off, c);
    } else {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && d >= 0xdc00 && d <= 0xdfff) {
        off = astral(buf, off, 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
      } else {
        off = unicodeEscape(buf, off, c);
      }
    }
  }
  buf[off++] = 34;
  return off;
}

/** Any text as UTF-8, a lone surrogate as U+FFFD (as Buffer.write encodes it). */
export function writeUtf8(buf: Uint8Array, off: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[off++] = c;
    } else if (c < 0xd800 || c > 0xdfff) {
      off = bmp(buf, off, c);
    } else {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c < 0xdc00 && d >= 0xdc00 && d <= 0xdfff) {
        off = astral(buf, off, 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
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
