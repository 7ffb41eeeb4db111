// A rawJSON fragment is written canonically (RFC 8785) from JSON.parse's value, and JSON.parse
// changes two things without a word, so the text is looked at first, as it is:
// - canonical JSON is I-JSON (RFC 7493): an object's names are unique, and JSON.parse keeps the
//   last of two members of one name;
// - canonical numbers are IEEE doubles, and JSON.parse rounds a number no double holds
//   (0.10000000000000000000001, 12345678901234567890) to the nearest one, as a bigint past 2^53
//   would be rounded, which canonical refuses too.

import { pathSegment } from '../json-path.js';

/** An open container of the text: its names so far (an object) or null (an array), and where the scan is in it. */
interface Level {
  names: Set<string> | null;
  key: string | number;
}

/** The index of the quote that ends the string starting at `start` (a quote). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; ; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;

/** The digits and power of ten of a decimal number's text: equal for equal values ("1.50" and "15e-1"). */
function decimalValue(text: string): string {
  const negative = text.startsWith('-');
  const [mantissa, exponent = '0'] = (negative ? text.slice(1) : text).toLowerCase().split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  const digits = (whole + fraction).replace(/^0+/, '');
  const kept = digits.replace(/0+$/, '');
  if (kept === '') return '0';
  const power = Number(exponent) - fraction.length + (digits.length - kept.length);
  return `${negative ? '-' : ''}${kept}e${power}`;
}

/** Why the number `text` has no canonical text (no double holds its value); null if it has one. */
function inexactNumber(text: string): string | null {
  const double = Number(text);
  // a number past the doubles is refused as Infinity is, by the walk
  if (!Number.isFinite(double) || decimalValue(text) === decimalValue(String(double))) return null;
  return `${text} has no exact RFC 8785 (canonical) number: the nearest double is ${double}`;
}

/**
 * Why `text` (one valid JSON value) cannot be canonical: an object holds two members of one name
 * (compared as decoded: "a" and "\u0061" are one), or a number no double holds; null if neither.
 */
export function canonicalRefusal(text: string): string | null {
  const levels: Level[] = [];
  let nameNext = false;
  for (let i = 0; i < text.length; i++) {
    switch (text.charCodeAt(i)) {
      case 0x7b: // {
        levels.push({ names: new Set(), key: '' });
        nameNext = true;
        break;
      case 0x5b: // [
        levels.push({ names: null, key: 0 });
        break;
      case 0x7d: // }
      case 0x5d: // ]
        levels.pop();
        nameNext = false;
        break;
      case 0x2c: {
        // ,
        const top = levels[levels.length - 1];
        if (top.names === null) (top.key as number)++;
        else nameNext = true;
        break;
      }
      case 0x22: {
        // "
        const end = stringEnd(text, i);
        if (nameNext) {
          const top = levels[levels.length - 1];
          const name = JSON.parse(text.slice(i, end + 1)) as string;
          top.key = name;
          if (top.names!.has(name)) {
            const at = levels.map((l) => pathSegment(l.key)).join('');
            return `the rawJSON fragment holds the name ${JSON.stringify(name)} twice in one object (at ${at} in it; canonical JSON names are unique)`;
          }
          top.names!.add(name);
          nameNext = false;
        }
        i = end;
        break;
      }
      case 0x2d: // -
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: case 0x38: case 0x39: {
        NUMBER.lastIndex = i;
        const number = NUMBER.exec(text)![0];
        const refusal = inexactNumber(number);
        if (refusal !== null) return refusal;
        i += number.length - 1;
        break;
      }
    }
  }
  return null;
}
