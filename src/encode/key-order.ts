// The orders sortKeys writes keys in: JSON.stringify's own (UTF-16 code units, what
// Array#sort does) and Python's (code points, what `sorted` does on str).

const SURROGATE = /[\ud800-\udfff]/;

/** Compares two strings code point by code point, as Python compares str. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/** Sorts `keys` in place by UTF-16 code units. */
export function byCodeUnits(keys: string[]): string[] {
  return keys.sort();
}

/** Sorts `keys` in place by code points. */
export function byCodePoints(keys: string[]): string[] {
  // Code point and code unit order differ only when a surrogate meets U+E000..U+FFFF.
  return keys.some((k) => SURROGATE.test(k)) ? keys.sort(compareCodePoints) : keys.sort();
}
