// Canonical JSON (RFC 8785) is I-JSON (RFC 7493): an object's names are unique. A rawJSON
// fragment is written canonically from JSON.parse's value, and JSON.parse keeps the last of two
// members of one name without a word: the text is looked at first, as it is.

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

/**
 * Why `text` (one valid JSON value) cannot be canonical: an object holds two members of one name
 * (compared as decoded: "a" and "\u0061" are one); null if none does.
 */
export function repeatedName(text: string): string | null {
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
    }
  }
  return null;
}
