// Text a database sends as UTF-8 bytes, written as a JSON string without decoding it: runs of
// bytes that need no escape are copied, and only `"`, `\` and control characters are escaped,
// as JSON.stringify (and json.dumps without ensure_ascii) escape them. For outputs that escape
// more (ensureAscii, escapeHTML, escapeLineTerminators) the library writes the decoded text.

const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/** 1 for each byte that cannot be copied into a JSON string as it is. */
const SPECIAL = new Uint8Array(256);
SPECIAL.fill(1, 0, 0x20);
SPECIAL[0x22] = 1;
SPECIAL[0x5c] = 1;

/** The letter of \b \t \n \f \r; 0 where JSON.stringify writes \u00XX. */
const SHORT = new Uint8Array(32);
SHORT[8] = 98;
SHORT[9] = 116;
SHORT[10] = 110;
SHORT[12] = 102;
SHORT[13] = 114;

/** The most bytes writeTextBytes writes for `length` bytes of text (a control character takes 6). */
export function textBytesRoom(length: number): number {
  return 6 * length + 2;
}

/** Escapes src[start, end) (UTF-8) into `out` at `at`, without quotes; returns the end. Room: 6 bytes per byte. */
export function escapeTextBytes(out: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  let run = start;
  for (let i = start; i < end; i++) {
    const c = src[i];
    if (SPECIAL[c] === 0) continue;
    if (i - run < 32) for (let k = run; k < i; k++) out[at++] = src[k];
    else {
      out.set(src.subarray(run, i), at);
      at += i - run;
    }
    run = i + 1;
    out[at] = 92;
    if (c >= 0x20) {
      out[at + 1] = c;
      at += 2;
    } else if (SHORT[c] !== 0) {
      out[at + 1] = SHORT[c];
      at += 2;
    } else {
      out[at + 1] = 117;
      out[at + 2] = 48;
      out[at + 3] = 48;
      out[at + 4] = HEX[c >> 4];
      out[at + 5] = HEX[c & 15];
      at += 6;
    }
  }
  if (end - run < 32) for (let k = run; k < end; k++) out[at++] = src[k];
  else {
    out.set(src.subarray(run, end), at);
    at += end - run;
  }
  return at;
}

/** src[start, end) as a JSON string (quotes included) at `at`; returns the end. Room: textBytesRoom. */
export function writeTextBytes(out: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  out[at] = 34;
  at = escapeTextBytes(out, at + 1, src, start, end);
  out[at] = 34;
  return at + 1;
}
