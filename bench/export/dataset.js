// The export benchmark's table: seeded, so every run and every contender sees the same rows.
// 8 columns: integers (some past 2^53), reals, short text with non-ASCII and escapes, NULLs;
// about 190 bytes of compact JSON a row.
import { makeRng } from '../datasets.js';

const WORDS = ['Zoë', 'Łódź', 'café', 'naïve', '東京', 'Ελλάδα', 'plain', 'ok', 'Straße', 'عربى', 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', '😀 emoji', 'Ürün'];
const CITIES = ['Paris', 'Kraków', 'São Paulo', 'Reykjavík', 'Zürich', 'İstanbul', 'Αθήνα', 'Москва'];

export const COLUMNS = ['id', 'account', 'amount', 'ratio', 'name', 'city', 'note', 'score'];
export const CREATE_TABLE = `CREATE TABLE t (id INTEGER PRIMARY KEY, account INTEGER, amount REAL, ratio REAL,
  name TEXT, city TEXT, note TEXT, score INTEGER)`;

/** Row i (1-based) of the table, as an array in column order; integers as bigint. */
export function* rows(count, seed = 1) {
  const next = makeRng(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  for (let i = 1; i <= count; i++) {
    const big = next() < 0.1;
    yield [
      BigInt(i),
      big ? 9007199254740993n + BigInt(Math.floor(next() * 1e9)) : BigInt(Math.floor(next() * 1e12) - 5e11),
      Math.round(next() * 1e8) / 100,
      next() < 0.15 ? null : next() * 2 - 1,
      `${pick(WORDS)} ${pick(WORDS)} #${i}`,
      next() < 0.2 ? null : pick(CITIES),
      next() < 0.5 ? null : `${pick(WORDS)}, ${pick(WORDS)} and ${pick(WORDS)}`,
      next() < 0.3 ? null : BigInt(Math.floor(next() * 100000)),
    ];
  }
}
