// N key ranges of about equal rows, not equal widths (ids are rarely uniform). The boundary
// of range i is the key of the row at position floor(i * rows / N) in key order; each is found
// from the one before by `WHERE key >= previous ORDER BY key LIMIT 1 OFFSET step`, so that the
// whole search reads the key's index once, in the database, and never the key column into
// JavaScript. On 1M rows with gaps (`id` an INTEGER PRIMARY KEY / int8 primary key), the 15
// boundaries of 16 ranges took 0.44 s in SQLite (15 sqlite3 processes) against 3.9 s for
// `ntile(16) OVER (ORDER BY id)` and 2.1 s for row_number(); in PostgreSQL 16 about 30 ms each
// (0.45 s in all) against 0.94 s for ntile, which holds the whole column in a tuplestore.
import { betweenSql, keyDialect, keyNotNull, rangeSql } from './key-sql.js';
import type { KeyReader } from './key-reader.js';
import type { KeyTuple, Plan, PlanRange } from './plan-file.js';
import { SourceError } from '../errors.js';

/** Position of boundary i of n among `rows` rows (exact past 2^53 products). */
function position(i: number, n: number, rows: number): number {
  return Number((BigInt(i) * BigInt(rows)) / BigInt(n));
}

export interface Cut {
  ranges: PlanRange[];
  rows: number;
}

/** The N ranges of `reader`'s key; the counts are the plan's snapshot's. */
export async function cutRanges(reader: KeyReader, database: Plan['database'], n: number): Promise<Cut> {
  const dialect = keyDialect({ database });
  const key = reader.key;
  const notNull = keyNotNull(key);
  const total = await reader.count(betweenSql(key, dialect, null, null));
  const nulls = notNull === null ? 0 : await reader.count(`NOT (${notNull})`);
  if (total === 0) {
    // no key to cut at: the first shard takes every key, the others none
    const ranges: PlanRange[] = [{ from: null, to: null, rows: nulls }];
    for (let k = 1; k < n; k++) ranges.push({ from: null, to: null, rows: 0, empty: true });
    return { ranges, rows: nulls };
  }
  const boundaries: KeyTuple[] = [];
  let previous: KeyTuple | null = null;
  let at = 0;
  for (let i = 1; i < n; i++) {
    const target = position(i, n, total);
    const found = await reader.keyAt(betweenSql(key, dialect, previous, null), target - at);
    // position(i) < total, and the rows from `previous` on are at least those from its position on
    if (found === null) throw new SourceError(`the table changed while its key was read: no row at position ${target} of ${total}`);
    boundaries.push(found);
    previous = found;
    at = target;
  }
  const ranges: PlanRange[] = [];
  for (let k = 0; k < n; k++) {
    const rows = position(k + 1, n, total) - position(k, n, total) + (k === 0 ? nulls : 0);
    ranges.push({ from: k === 0 ? null : boundaries[k - 1], to: k === n - 1 ? null : boundaries[k], rows });
  }
  if (!reader.unique) {
    // rows of one key value share a range: count each range as its shard will read it
    for (let k = 0; k < n; k++) ranges[k].rows = await reader.count(rangeSql({ database, key, ranges }, k));
  }
  return { ranges, rows: total + nulls };
}
