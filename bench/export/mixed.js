// The tables people really have, for the database jobs: seeded, so every run and every
// contender sees the same rows.
// - mixed: the everyday mix: int8 (some past 2^53), text (non-ASCII, quotes, backslashes,
//   control characters), float8, numeric, timestamptz, text[], boolean, and a jsonb column
//   holding a nested object; NULLs in most columns. About 420 bytes of compact JSON a row.
// - docs: mostly json/jsonb: an id, a jsonb document (a nested object with an array of objects),
//   a json column as the application wrote it (spaces and all), and a jsonb array of events.
// Each table: its columns, a generator of the rows (values as the database holds them), and a
// check of one parsed record (numbers as their text) against its row.
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { makeRng } from '../datasets.js';

const WORDS = ['Zoë', 'Łódź', 'café', 'naïve', '東京', 'Ελλάδα', 'plain', 'ok', 'Straße', 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', '😀 emoji', 'bell\u0007'];
const TAGS = ['red', 'green', 'blue', 'vip', 'trial', 'café', 'ünïcode', 'a,b', 'q"uote', 'NULL', ''];
const THEMES = ['dark', 'light', 'system'];
const LANGS = ['en', 'fr', 'de', 'ja', 'pt-BR'];
// 2020-01-01T00:00:00Z in microseconds
const EPOCH_2020 = 1577836800n * 1000000n;

/** A timestamptz's text as to_json writes it in UTC: fractional digits without trailing zeros. */
export function timestampText(micros) {
  const ms = Number(micros / 1000n);
  const iso = new Date(ms).toISOString().slice(0, 19);
  const fraction = (micros % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${iso}${fraction === '' ? '' : '.' + fraction}+00:00`;
}

function prefs(next, i) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  return {
    theme: pick(THEMES),
    lang: pick(LANGS),
    notify: { email: next() < 0.5, sms: next() < 0.2, digest: pick(['daily', 'weekly', null]), quiet: [22, 7] },
    recent: [i, Math.floor(next() * 1e6), pick(WORDS)],
    ratio: Math.round(next() * 1e4) / 1e4,
  };
}

/** The mixed table. */
export const MIXED = {
  name: 'mixed',
  create: `CREATE TABLE mixed (id int8 PRIMARY KEY, account int8, name text, amount float8, price numeric, at timestamptz,
    tags text[], active boolean, prefs jsonb)`,
  columns: ['id', 'account', 'name', 'amount', 'price', 'at', 'tags', 'active', 'prefs'],
  /** Row i (1-based): integers as bigint, numeric as its text, timestamptz as microseconds since 1970. */
  *rows(count, seed = 1) {
    const next = makeRng(seed * 7 + 3);
    const pick = (list) => list[Math.floor(next() * list.length)];
    for (let i = 1; i <= count; i++) {
      const big = next() < 0.1;
      const cents = BigInt(Math.floor(next() * 1e9));
      yield [
        BigInt(i),
        big ? 9007199254740993n + BigInt(Math.floor(next() * 1e9)) : BigInt(Math.floor(next() * 1e12) - 5e11),
        `${pick(WORDS)} ${pick(WORDS)} #${i}`,
        next() < 0.1 ? null : (next() - 0.5) * 10 ** Math.floor(next() * 12 - 4),
        next() < 0.1 ? null : `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`,
        EPOCH_2020 + BigInt(Math.floor(next() * 1.5e8)) * 1000000n + BigInt(Math.floor(next() * 1e6)),
        next() < 0.1 ? null : Array.from({ length: Math.floor(next() * 4) }, () => pick(TAGS)),
        next() < 0.1 ? null : next() < 0.5,
        next() < 0.05 ? null : prefs(next, i),
      ];
    }
  },
};

function doc(next, i) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const items = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, k) => ({
    sku: `SKU-${Math.floor(next() * 1e6)}`,
    qty: 1 + Math.floor(next() * 9),
    price: Math.round(next() * 1e5) / 100,
    options: { size: pick(['S', 'M', 'L', 'XL']), gift: next() < 0.1, note: k === 0 ? pick(WORDS) : null },
  }));
  return {
    order: i,
    customer: { id: Math.floor(next() * 1e9), name: `${pick(WORDS)} ${pick(WORDS)}`, email: `user${i}@example.com`, tags: [pick(TAGS), pick(TAGS)] },
    items,
    total: items.reduce((sum, item) => sum + item.qty * item.price, 0).toFixed(2),
    shipped: next() < 0.7,
  };
}

/** The mostly-json table. */
export const DOCS = {
  name: 'docs',
  create: `CREATE TABLE docs (id int8 PRIMARY KEY, doc jsonb, meta json, events jsonb)`,
  columns: ['id', 'doc', 'meta', 'events'],
  /** Row i: json values as the objects they hold; `meta` also with the text the application stored. */
  *rows(count, seed = 1) {
    const next = makeRng(seed * 11 + 5);
    const pick = (list) => list[Math.floor(next() * list.length)];
    for (let i = 1; i <= count; i++) {
      const meta = { source: pick(['web', 'ios', 'android']), version: Math.floor(next() * 5), flags: [true, false, null], 'user agent': pick(WORDS) };
      const events = Array.from({ length: Math.floor(next() * 4) }, () => ({ type: pick(['view', 'click', 'buy']), at: 1.7e9 + Math.floor(next() * 1e7), n: Math.floor(next() * 100) }));
      yield [BigInt(i), doc(next, i), { value: meta, text: JSON.stringify(meta, null, next() < 0.5 ? 1 : undefined) }, next() < 0.1 ? null : events];
    }
  },
};

// ---------------------------------------------------------------- loading (CSV for psql \copy)

function arrayLiteral(list) {
  return '{' + list.map((s) => '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

function csvText(text) {
  return '"' + text.replace(/"/g, '""') + '"';
}

/** A row of `table` as a CSV line for PostgreSQL. */
export function csvRow(table, row) {
  return (
    row
      .map((value, i) => {
        if (value === null) return '';
        const column = table.columns[i];
        if (column === 'at') return new Date(Number(value / 1000n)).toISOString().replace('Z', '').replace(/\.\d+$/, '') + '.' + (value % 1000000n).toString().padStart(6, '0') + '+00';
        if (column === 'tags') return csvText(arrayLiteral(value));
        if (column === 'meta') return csvText(value.text);
        if (typeof value === 'object') return csvText(JSON.stringify(value));
        if (typeof value === 'string') return csvText(value);
        return String(value);
      })
      .join(',') + '\n'
  );
}

// ---------------------------------------------------------------- checks

/** Decimal text compared as a number of any size: sign, digits and exponent normalised. */
function decimal(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (m === null) return `not a number: ${text}`;
  let digits = (m[2] + (m[3] ?? '')).replace(/^0+/, '');
  let exponent = Number(m[4] ?? 0) - (m[3] ?? '').length;
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent++;
  }
  return digits === '' ? '0' : `${m[1]}${digits}e${exponent}`;
}

/** Whether parsed JSON (numbers as text) holds `expected` (numbers compared as decimals). */
function sameJson(expected, actual) {
  if (expected === null || typeof expected === 'boolean') return actual === expected;
  if (typeof expected === 'number') return typeof actual === 'string' && decimal(actual) === decimal(String(expected));
  if (typeof expected === 'string') return actual === expected;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => sameJson(v, actual[i]));
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  const keys = Object.keys(expected);
  return keys.length === Object.keys(actual).length && keys.every((k) => k in actual && sameJson(expected[k], actual[k]));
}

/** A timestamp's text reduced to its instant: 'T' or ' ', a UTC offset or none, trailing zeros of the fraction. */
function instant(text) {
  return text.replace(' ', 'T').replace(/(\+00:00|Z)$/, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/**
 * Whether the value of `column` in a parsed record (stream-json with numbers as strings, so
 * JSON numbers and JSON strings are both strings there: `numbers` tells which columns are
 * numbers) is the row's value.
 */
function sameValue(column, expected, actual, mysql) {
  if (expected === null) return actual === null;
  switch (column) {
    case 'active':
      // MySQL's BOOLEAN is TINYINT(1): 1 and 0
      return actual === expected || (mysql === true && actual === (expected ? '1' : '0'));
    case 'id':
    case 'account':
      return actual === String(expected);
    case 'amount':
      return typeof actual === 'string' && Number(actual) === expected;
    case 'price':
      return typeof actual === 'string' && decimal(actual) === decimal(expected);
    case 'at':
      return typeof actual === 'string' && instant(actual) === instant(timestampText(expected));
    case 'meta':
      return sameJson(expected.value, actual);
    default:
      return sameJson(expected, actual);
  }
}

/** The first difference between a parsed record and row `row` of `table`, or null. */
export function recordDifference(table, row, record) {
  const columns = table.columns;
  const values = Array.isArray(record) ? Object.fromEntries(columns.map((c, i) => [c, record[i]])) : record;
  if (values === null || typeof values !== 'object') return `not an object: ${JSON.stringify(values)}`;
  if (Object.keys(values).length !== columns.length) return `members ${Object.keys(values)}`;
  for (let i = 0; i < columns.length; i++) {
    if (!sameValue(columns[i], row[i], values[columns[i]], table.mysql)) return `${columns[i]}: ${JSON.stringify(values[columns[i]])} is not ${JSON.stringify(row[i], (_, v) => (typeof v === 'bigint' ? String(v) : v))}`;
  }
  return null;
}

/** Checks a JSON Lines file (one record per line, numbers kept as text) against the rows of `table`. */
export async function checkLines(path, table, count, seed) {
  const expected = table.rows(count, seed);
  let index = 0;
  const sink = new Writable({
    objectMode: true,
    write({ value }, _encoding, callback) {
      const row = expected.next().value;
      index++;
      if (row === undefined) return callback(new Error(`record ${index}: more records than the ${count} rows`));
      const difference = recordDifference(table, row, value);
      callback(difference === null ? null : new Error(`record ${index}, ${difference}`));
    },
    final(callback) {
      callback(index === count ? null : new Error(`${index} records, not ${count}`));
    },
  });
  await pipeline(createReadStream(path), parser.asStream({ jsonStreaming: true, streamValues: false }), streamValues.asStream({ numberAsString: true }), sink);
}
