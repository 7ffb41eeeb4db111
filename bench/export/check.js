// Checks an export's output against the rows it was made from: parsed as a stream (stream-json,
// numbers as their text), compared row by row, integers digit for digit, reals as the same double.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { COLUMNS, rows } from './dataset.js';
import { SQLITE_MIXED } from './sqlite-mixed.js';

/**
 * Whether a value read back (numbers as their text) is the generated one: integers digit for
 * digit, reals as the same double, strings equal, bytes as `blob` says: 'base64' (jsondump's
 * default) or 'raw' (sqlite3 -json writes a BLOB's bytes as the string's own, read back as UTF-8).
 */
function same(expected, actual, blob) {
  if (expected === null || actual === null) return expected === actual;
  if (typeof expected === 'bigint') return actual === String(expected);
  if (typeof expected === 'number') return typeof actual === 'string' && Number(actual) === expected;
  if (expected instanceof Uint8Array) {
    const bytes = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
    return actual === (blob === 'raw' ? bytes.toString('utf8') : bytes.toString('base64'));
  }
  return actual === expected;
}

/** A Writable that compares each record with the next generated row of a table ({ columns, rows }). */
function comparer(count, seed, table = { columns: COLUMNS, rows }, blob = 'base64') {
  const COLUMNS = table.columns;
  const expected = table.rows(count, seed);
  let index = 0;
  const sink = new Writable({
    objectMode: true,
    write({ value }, _encoding, callback) {
      const row = expected.next().value;
      const record = Array.isArray(value) ? Object.fromEntries(COLUMNS.map((c, i) => [c, value[i]])) : value;
      if (row === undefined) return callback(new Error(`record ${index + 1}: more records than the ${count} rows`));
      for (let i = 0; i < COLUMNS.length; i++) {
        const column = COLUMNS[i];
        if (!same(row[i], record[column], blob)) {
          return callback(new Error(`record ${index + 1}, ${column}: ${JSON.stringify(record[column])} != ${String(row[i])}`));
        }
      }
      if (Object.keys(record).length !== COLUMNS.length) return callback(new Error(`record ${index + 1}: members ${Object.keys(record)}`));
      index++;
      callback();
    },
    final(callback) {
      callback(index === count ? null : new Error(`${index} records, not ${count}`));
    },
  });
  return sink;
}

/** COPY's text format undone: psql \copy doubles backslashes and escapes control characters. */
function uncopy() {
  let carry = '';
  const decoder = new StringDecoder('utf8'); // a character may span two chunks
  return new Transform({
    transform(chunk, _encoding, callback) {
      let text = carry + decoder.write(chunk);
      // never cut an escape in two: an odd run of backslashes at the end waits for the next chunk
      let run = 0;
      while (run < text.length && text[text.length - 1 - run] === '\\') run++;
      const cut = run % 2 === 1 ? text.length - 1 : text.length;
      carry = text.slice(cut);
      text = text.slice(0, cut);
      callback(null, text.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' })[c] ?? c));
    },
    flush(callback) {
      callback(null, carry + decoder.end());
    },
  });
}

/**
 * Checks `path`: 'json' (an array of records), 'lines' (JSON Lines), 'copy' (JSON Lines as
 * psql's \copy writes them).
 */
export async function checkOutput(path, format, count, seed) {
  await pipeline(...parse(path, format), comparer(count, seed));
}

/** Checks `path` against SQLite's everyday mix (sqlite-mixed.js); `blob`: 'base64' or 'raw' (see same()). */
export async function checkMixedOutput(path, format, count, seed, blob = 'base64') {
  await pipeline(...parse(path, format), comparer(count, seed, { columns: SQLITE_MIXED.COLUMNS, rows: SQLITE_MIXED.rows }, blob));
}

function parse(path, format) {
  const stages = [createReadStream(path)];
  if (format === 'copy') stages.push(uncopy());
  if (format === 'json') stages.push(parser.asStream({ streamValues: false }), streamArray.asStream({ numberAsString: true }));
  else stages.push(parser.asStream({ jsonStreaming: true, streamValues: false }), streamValues.asStream({ numberAsString: true }));
  return stages;
}
