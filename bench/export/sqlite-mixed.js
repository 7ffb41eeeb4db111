// A second SQLite export table, built apart from dataset.js: the columns people really keep in
// SQLite.
// Seeded, so every run and every contender sees the same rows. 9 columns:
//   id         INTEGER PRIMARY KEY
//   account    INTEGER  64-bit identifiers over the whole range (±2^63), nearly all past 2^53
//   quantity   INTEGER  small counts; NULL in 1 row of 10
//   price      REAL     amounts in cents (12.99)
//   reading    REAL     measurements at full precision, some whole, a few extreme (5e-324,
//                      1e300, -0.0); NULL in 1 row of 5
//   label      TEXT     short words in many scripts (accents, Cyrillic, Greek, CJK, emoji)
//   comment    TEXT     free text up to a few hundred characters with quotes, backslashes, tabs,
//                      line breaks, other control characters, DEL, U+2028; NULL in 3 rows of 10
//   digest     BLOB     16 bytes (a UUID), 32 (a hash) or up to 300 (a small binary); NULL in 1 of 4
//   created_at TEXT     ISO 8601 timestamps
// About 400 bytes of compact JSON a row (blobs as base64).
import { makeRng } from '../datasets.js';

export const MIXED_COLUMNS = ['id', 'account', 'quantity', 'price', 'reading', 'label', 'comment', 'digest', 'created_at'];
export const MIXED_CREATE_TABLE = `CREATE TABLE t (id INTEGER PRIMARY KEY, account INTEGER, quantity INTEGER,
  price REAL, reading REAL, label TEXT, comment TEXT, digest BLOB, created_at TEXT)`;

const SCRIPTS = ['Grüße', 'Ärger', 'niño', 'Привет', 'мир', 'Καλημέρα', '日本語', '中文字', '한국어', 'שלום', 'مرحبا', 'ﬁnance', '🍕', '👩‍💻', 'naïve', 'façade', 'Ø', 'plain', 'ascii', 'word'];
const PUNCTUATION = ['"quoted"', 'C:\\path\\file', 'a\tb', 'line\nnext', 'cr\r\n', '\u0001', '\u001f', '\u007f', '\u2028', '\b\f', "it's", '<tag>', '&amp;', '{"json": [1]}'];
const EXTREMES = [5e-324, 1e300, -0.0, 0.1 + 0.2, 2 ** 53 + 2, 1e21, 1e-7, -1.7976931348623157e308];
const START = Date.UTC(2015, 0, 1);

/** A 64-bit signed integer spread over the whole range. */
function int64(next) {
  const high = BigInt(Math.floor(next() * 2 ** 32));
  const low = BigInt(Math.floor(next() * 2 ** 32));
  return BigInt.asIntN(64, (high << 32n) | low);
}

function text(next, words, extras) {
  const parts = [];
  for (let i = 0; i < words; i++) {
    parts.push(next() < 0.2 ? extras[Math.floor(next() * extras.length)] : SCRIPTS[Math.floor(next() * SCRIPTS.length)]);
  }
  return parts.join(' ');
}

function bytes(next) {
  const roll = next();
  const length = roll < 0.5 ? 16 : roll < 0.85 ? 32 : 33 + Math.floor(next() * 268);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

function reading(next) {
  const roll = next();
  if (roll < 0.2) return null;
  if (roll < 0.22) return EXTREMES[Math.floor(next() * EXTREMES.length)];
  if (roll < 0.3) return Math.round(next() * 1000); // a whole float: 42.0
  return (next() - 0.3) * 10 ** Math.floor(next() * 8 - 3);
}

/** Row i (1-based) of the table, as an array in column order; integers as bigint, blobs as Uint8Array. */
function* mixedRows(count, seed = 1) {
  const next = makeRng(seed ^ 0x5f3759df);
  for (let i = 1; i <= count; i++) {
    yield [
      BigInt(i),
      int64(next),
      next() < 0.1 ? null : BigInt(Math.floor(next() * 1000)),
      Math.round(next() * 100000) / 100,
      reading(next),
      text(next, 1 + Math.floor(next() * 3), SCRIPTS),
      next() < 0.3 ? null : text(next, Math.floor(next() * 40), PUNCTUATION),
      next() < 0.25 ? null : bytes(next),
      new Date(START + Math.floor(next() * 3e11)).toISOString(),
    ];
  }
}

/** The table as sqlite-db.js builds it and check.js reads it back. */
export const SQLITE_MIXED = { COLUMNS: MIXED_COLUMNS, CREATE_TABLE: MIXED_CREATE_TABLE, rows: mixedRows };
