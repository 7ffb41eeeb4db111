// Seeded input files for the reformat benchmarks: the same (name, size, seed) always gives the
// same bytes. Big files are generated, never committed.
//
//   node bench/reformat/datasets.js [--dir DIR] [--rows N] [--string-mb N] [--seed N] [--only a,b]
//
// Files (in DIR, default bench/.cache/reformat):
//   records.json   a JSON array of N table rows, one per line as `sqlite3 -json` writes them
//                  (1,000,000 rows ≈ 150 MB): 8 columns of integers (some past 2^53), reals,
//                  short text with non-ASCII and escapes, NULLs
//   records.jsonl  the same rows as JSON Lines
//   big-string.json  one object holding one string of --string-mb MB (default 100) with escapes,
//                  non-ASCII and emoji: the case where a parser's memory follows the largest string
//   strings.json, deep.json  bench/datasets.js's strings and deep datasets (scale --rows / 1e6)

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, makeRng } from '../datasets.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DIR = path.join(HERE, '..', '.cache', 'reformat');

const WORDS = ['alpha', 'Zürich', 'naïve', 'São Paulo', 'Kraków', 'Москва', '東京', 'data', 'O\'Brien', 'x'];
const NOTES = ['', 'line one\nline two', 'tab\there', 'say "hi"', 'C:\\temp\\file', 'ünïcödé ✓', 'emoji 😀', 'plain'];

/** One table row of 8 columns; row i depends only on (seed, i). */
export function tableRow(seed, i) {
  const rng = makeRng(seed * 7919 + i);
  const r = rng();
  return {
    id: i + 1,
    account: r < 0.1 ? `${9007199254740993n + BigInt(i)}` : (rng() * 2 ** 31) | 0,
    amount: Math.round(rng() * 1e8) / 100,
    ratio: rng() < 0.1 ? rng() * 1e-9 : rng(),
    name: `${WORDS[(rng() * WORDS.length) | 0]} ${WORDS[(rng() * WORDS.length) | 0]} ${i % 977}`,
    note: rng() < 0.3 ? null : NOTES[(rng() * NOTES.length) | 0],
    flag: rng() < 0.2 ? null : rng() < 0.5 ? 1 : 0,
    score: rng() < 0.25 ? null : Math.round(rng() * 1e6) / 1e3,
  };
}

/** JSON text of a row; `account` holds digits past 2^53 as a number, the way a database writes them. */
function rowText(row) {
  const text = JSON.stringify(row);
  return typeof row.account === 'string' ? text.replace(`"account":"${row.account}"`, `"account":${row.account}`) : text;
}

/** Writes `parts()` (a generator of strings) to `file` in blocks of about 1 MiB. */
function writeParts(file, parts) {
  const fd = fs.openSync(file, 'w');
  let block = '';
  try {
    for (const part of parts) {
      block += part;
      if (block.length >= 1 << 20) {
        fs.writeSync(fd, block);
        block = '';
      }
    }
    fs.writeSync(fd, block);
  } finally {
    fs.closeSync(fd);
  }
}

function* recordsJson(rows, seed) {
  yield '[';
  for (let i = 0; i < rows; i++) yield (i > 0 ? ',\n' : '') + rowText(tableRow(seed, i));
  yield ']\n';
}

function* recordsJsonl(rows, seed) {
  for (let i = 0; i < rows; i++) yield rowText(tableRow(seed, i)) + '\n';
}

const PIECES = ['plain text of a long document ', 'é', '中文', '😀', '\\n', '\\"', '\\u00e9', '\\t', 'ASCII '];

function* bigString(megabytes, seed) {
  const rng = makeRng(seed ^ 0xb165);
  yield '{"id":1,"text":"';
  const target = megabytes * 1e6;
  for (let size = 0; size < target; ) {
    let piece = '';
    while (piece.length < 4096) piece += PIECES[(rng() * PIECES.length) | 0];
    size += Buffer.byteLength(piece);
    yield piece;
  }
  yield '"}\n';
}

function* arrayOf(values) {
  yield '[';
  for (let i = 0; i < values.length; i++) yield (i > 0 ? ',' : '') + JSON.stringify(values[i]);
  yield ']\n';
}

export const FILES = {
  'records.json': (o) => recordsJson(o.rows, o.seed),
  'records.jsonl': (o) => recordsJsonl(o.rows, o.seed),
  'big-string.json': (o) => bigString(o.stringMb, o.seed),
  'strings.json': (o) => arrayOf(build('strings', o.rows / 1e6, o.seed).value),
  'deep.json': (o) => arrayOf(build('deep', o.rows / 1e6, o.seed).value),
};

/** Generates the files that are missing (or all with `force`); returns their paths by name. */
export function generate({ dir = DEFAULT_DIR, rows = 1e6, stringMb = 100, seed = 1, only = Object.keys(FILES), force = false } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const paths = {};
  for (const name of only) {
    const file = path.join(dir, name);
    paths[name] = file;
    if (!force && fs.existsSync(file)) continue;
    writeParts(file, FILES[name]({ rows, stringMb, seed }));
  }
  return paths;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      rows: { type: 'string' },
      'string-mb': { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  const paths = generate({
    dir: values.dir,
    rows: values.rows === undefined ? undefined : Number(values.rows),
    stringMb: values['string-mb'] === undefined ? undefined : Number(values['string-mb']),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    only: values.only?.split(','),
    force: values.force,
  });
  for (const file of Object.values(paths)) console.log(`${file}\t${fs.statSync(file).size} bytes`);
}
