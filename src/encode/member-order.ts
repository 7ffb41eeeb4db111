// Map members as the dialects order them (sortKeys), and the problem a key can raise. Apart
// from keys.ts, which reads the dialect: the dialect picks one of these orders, so one module
// holding both would import the dialect that imports it.

import { compareCodePoints } from './key-order.js';

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
