// Map members: keys coerced to text as Python's json module coerces dict keys, then filtered
// and ordered by the dialect's rules.

import type { Dialect } from './dialect.js';
import { compareCodePoints } from './key-order.js';
import { nonFiniteLiteral } from './number.js';

/** A Map member whose key has been coerced: `text` is what is written. */
export interface MapMember {
  key: unknown;
  text: string;
  value: unknown;
}

/** Why a key could not be written; the caller raises it with the right path. */
export class KeyProblem {
  constructor(
    readonly code: 'ERR_KEY_TYPE' | 'ERR_NON_FINITE' | 'ERR_UNSERIALIZABLE',
    readonly message: string,
    readonly text?: string,
  ) {}
}

/** The key's text, undefined to skip it (skipKeys), or the KeyProblem to raise. */
export function keyText(key: unknown, d: Dialect): string | undefined | KeyProblem {
  switch (typeof key) {
    case 'string':
      return key;
    case 'number':
      return d.numberKey(key) ?? new KeyProblem('ERR_NON_FINITE', `Map key ${key} is not finite`, nonFiniteLiteral(key));
    case 'boolean':
      return key ? 'true' : 'false';
    case 'bigint':
      return key.toString();
    default:
      if (key === null) return 'null';
      if (d.skipKeys) return undefined;
      return new KeyProblem('ERR_KEY_TYPE', `a Map key of type ${typeof key} cannot be a JSON key`);
  }
}

/** sortKeys in the 'js' dialect: by the key text, UTF-16 code units. */
export function byKeyText(members: MapMember[]): MapMember[] {
  return members.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** sortKeys in the 'python' dialect: numbers (and booleans) numerically, strings by code point; never across. */
export function byPythonKey(members: MapMember[]): MapMember[] | KeyProblem {
  if (members.length < 2) return members;
  let strings = 0;
  for (const m of members) {
    if (m.key === null) return new KeyProblem('ERR_KEY_TYPE', 'sortKeys cannot order a null Map key');
    if (typeof m.key === 'string') strings++;
  }
  if (strings === members.length) return members.sort((a, b) => compareCodePoints(a.text, b.text));
  if (strings > 0) return new KeyProblem('ERR_KEY_TYPE', 'sortKeys cannot order string and non-string Map keys');
  const num = (k: unknown) => (typeof k === 'boolean' ? +k : (k as number | bigint));
  return members.sort((a, b) => {
    const x = num(a.key);
    const y = num(b.key);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * With an allow-list, the members it names, in its order, as JSON.stringify writes objects.
 * Members of one name (1 and "1") are all kept, in the Map's order: the list picks names.
 */
function inListOrder(members: MapMember[], list: string[]): MapMember[] {
  const byText = new Map<string, MapMember[]>();
  for (const m of members) {
    const named = byText.get(m.text);
    if (named === undefined) byText.set(m.text, [m]);
    else named.push(m);
  }
  return list.flatMap((k) => byText.get(k) ?? []);
}

/**
 * Canonical output is I-JSON (RFC 7493): names are unique. `members` are sorted by name, so
 * two of one name are neighbours. Without canonical both are written, as json.dumps writes both.
 */
function repeatedName(members: MapMember[]): KeyProblem | null {
  for (let i = 1; i < members.length; i++) {
    const text = members[i].text;
    if (text === members[i - 1].text) {
      return new KeyProblem('ERR_UNSERIALIZABLE', `two Map keys are written as the name ${JSON.stringify(text)} (canonical JSON names are unique)`, text);
    }
  }
  return null;
}

/** The members of `map` to write, in order, or the problem with one of its keys. */
export function mapMembers(map: Map<unknown, unknown>, d: Dialect): MapMember[] | KeyProblem {
  const members: MapMember[] = [];
  for (const [key, value] of map) {
    const text = keyText(key, d);
    if (text === undefined) continue;
    if (text instanceof KeyProblem) return text;
    members.push({ key, text, value });
  }
  const ordered = d.keyList !== null ? inListOrder(members, d.keyList) : d.orderMembers === null ? members : d.orderMembers(members);
  return d.canonical && !(ordered instanceof KeyProblem) ? (repeatedName(ordered) ?? ordered) : ordered;
}
