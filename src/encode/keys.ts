// Map members: keys coerced to text as Python's json module coerces dict keys, then filtered
// and ordered by the dialect's rules.

import type { Dialect } from './dialect.js';
import { KeyProblem, type MapMember } from './member-order.js';
import { nonFiniteLiteral } from './number.js';

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
