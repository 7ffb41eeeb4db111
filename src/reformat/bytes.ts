// Byte tables and small writers shared by the re-encoder's parts.

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const NEWLINE = 0x0a;

const HEX = new TextEncoder().encode('0123456789abcdef');

/** Writes `\uXXXX` (lowercase hex, as JSON.stringify and Python write it) at `pos`; returns the new end. */
export function writeUnicodeEscape(out: Uint8Array, pos: number, unit: number): number {
  out[pos] = BACKSLASH;
  out[pos + 1] = 0x75; // u
  out[pos + 2] = HEX[unit >> 12];
  out[pos + 3] = HEX[(unit >> 8) & 15];
  out[pos + 4] = HEX[(unit >> 4) & 15];
  out[pos + 5] = HEX[unit & 15];
  return pos + 6;
}

/** Writes the UTF-8 bytes of a code point (not a surrogate) at `pos`; returns the new end. */
export function writeUtf8(out: Uint8Array, pos: number, cp: number): number {
  if (cp < 0x80) {
    out[pos] = cp;
    return pos + 1;
  }
  if (cp < 0x800) {
    out[pos] = 0xc0 | (cp >> 6);
    out[pos + 1] = 0x80 | (cp & 63);
    return pos + 2;
  }
  if (cp < 0x10000) {
    out[pos] = 0xe0 | (cp >> 12);
    out[pos + 1] = 0x80 | ((cp >> 6) & 63);
    out[pos + 2] = 0x80 | (cp & 63);
    return pos + 3;
  }
  out[pos] = 0xf0 | (cp >> 18);
  out[pos + 1] = 0x80 | ((cp >> 12) & 63);
  out[pos + 2] = 0x80 | ((cp >> 6) & 63);
  out[pos + 3] = 0x80 | (cp & 63);
  return pos + 4;
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

/** The letter of the two-character escape JSON.stringify writes for a control character, or 0. */
export const SHORT_ESCAPE = new Uint8Array(32);
SHORT_ESCAPE[0x08] = 0x62; // \b
SHORT_ESCAPE[0x09] = 0x74; // \t
SHORT_ESCAPE[0x0a] = 0x6e; // \n
SHORT_ESCAPE[0x0c] = 0x66; // \f
SHORT_ESCAPE[0x0d] = 0x72; // \r

/** Escapes that JSON.parse then JSON.stringify write back unchanged: \" \\ \b \f \n \r \t. */
export const KEPT_ESCAPE = new Uint8Array(256);
for (const c of '"\\bfnrt') KEPT_ESCAPE[c.charCodeAt(0)] = 1;
