// Map keys: coerced to text as Python's json module does, and ordered for sortKeys.

import { NonFinite, type Resolved } from '../options.js';
import { jsNumber, nonFiniteLiteral, pyNumber } from './number.js';
import { sortKeys } from './native.js';

/** A Map member whose key has been coerced: `text` is what is written. */
export interface MapMember {
  key: unknown;
  text: string;
  value: unknown;
}

/** Why a key could not be written; the caller raises it with the right path. */
export class KeyProblem {
  constructor(
    readonly code: 'ERR_KEY_TYPE' | 'ERR_NON_FINITE',
    readonly message: string,
    readonly text?: string,
  ) {}
}

/** The key's text, undefined to skip it (skipKeys), or the KeyProblem to raise. */
function keyText(key: unknown, o: Resolved): string | undefined | KeyProblem {
  switch (typeof key) {
    case 'string':
      return key;
    case 'number':
      if (key - key === 0) return o.python ? pyNumber(key) : jsNumber(key);
      if (o.nonFinite === NonFinite.Error) {
        return new KeyProblem('ERR_NON_FINITE', `Map key ${key} is not finite`, nonFiniteLiteral(key));
      }
      return nonFiniteLiteral(key);
    case 'boolean':
      return key ? 'true' : 'false';
    case 'bigint':
      return key.toString();
    default:
      if (key === null) return 'null';
      if (o.skipKeys) return undefined;
      return new KeyProblem('ERR_KEY_TYPE', `a Map key of type ${typeof key} cannot be a JSON key`);
  }
}

/** Python orders numbers (and booleans) numerically and strings by code point; never across. */
function pythonOrder(members: MapMember[]): MapMember[] | KeyProblem {
  if (members.length < 2) return members;
  let strings = 0;
  for (const m of members) {
    if (m.key === null) return new KeyProblem('ERR_KEY_TYPE', 'sortKeys cannot order a null Map key');
    if (typeof m.key === 'string') strings++;
  }
  if (strings === members.length) {
    const order = sortKeys(members.map((m) => m.text), true);
    const rank = new Map(order.map((t, i) => [t, i]));
    return members.sort((a, b) => rank.get(a.text)! - rank.get(b.text)!);
  }
  if (strings > 0) return new KeyProblem('ERR_KEY_TYPE', 'sortKeys cannot order string and non-string Map keys');
  const num = (k: unknown) => (typeof k === 'boolean' ? +k : (k as number | bigint));
  return members.sort((a, b) => {
    const x = num(a.key);
    const y = num(b.key);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** The members of `map` to write, in order, or the problem with one of its keys. */
export function mapMembers(map: Map<unknown, unknown>, o: Resolved): MapMember[] | KeyProblem {
  const members: MapMember[] = [];
  for (const [key, value] of map) {
    const text = keyText(key, o);
    if (text === undefined) continue;
    if (text instanceof KeyProblem) return text;
    members.push({ key, text, value });
  }
  if (o.allowList !== null) {
    const allowed = new Set(o.allowList);
    return orderByList(members.filter((m) => allowed.has(m.text)), o);
  }
  if (!o.sortKeys) return members;
  if (o.python) return pythonOrder(members);
  return members.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** With an allow-list, members come in the list's order, as JSON.stringify writes objects. */
function orderByList(members: MapMember[], o: Resolved): MapMember[] {
  const byText = new Map(members.map((m) => [m.text, m]));
  const list = o.sortKeys ? sortKeys(o.allowList!.slice(), o.python) : o.allowList!;
  return list.filter((k) => byText.has(k)).map((k) => byText.get(k)!);
}
