// Same-run ceilings of one-job SQLite exports, and the designs of the one-job reader side by
// side, with nothing written, so that an export's time can be told apart from its driver's:
//   values:        better-sqlite3 reads every row as JavaScript values (arrays, integers as
//                  bigint), by pages of the key as the export reads them (.all() per page of
//                  1,024 rows), nothing encoded;
//   text:          the statements of the design where SQLite writes the records' text: per page,
//                  the text as one BLOB and the values of the REAL columns, nothing stitched;
//   encode-values: the export's own page reader (jobs/sqlite-ranges.js) with every page read as
//                  values and encoded by the row encoder (the design before SQLite wrote text);
//   encode-text:   the export's own page reader as it runs: SQLite's text, REALs stitched in.
// The driver is the export's (better-sqlite3 on Node 20, node:sqlite on Node 22.13 and later),
// except in `values`, which is better-sqlite3's on any Node. dist/ is built first.
//
//   node bench/export/sqlite-ceilings.js DB values|text|encode-values|encode-text

import { createRequire } from 'node:module';

const PAGE_ROWS = 1024n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const PAGE = 'SELECT *, _rowid_ FROM t WHERE _rowid_ >= :jsondump$lo AND _rowid_ <= :jsondump$hi ORDER BY _rowid_ LIMIT :jsondump$limit';
const MODES = ['values', 'text', 'encode-values', 'encode-text'];
const dist = new URL('../../dist/cli/', import.meta.url);

const [path, mode] = process.argv.slice(2);
if (!path || !MODES.includes(mode)) throw new Error(`usage: sqlite-ceilings.js DB ${MODES.join('|')}`);
const page = (from) => ({ 'jsondump$lo': from, 'jsondump$hi': INT64_MAX, 'jsondump$limit': PAGE_ROWS });

/** better-sqlite3 reading the pages as values. */
function readValues(db) {
  let rows = 0;
  const statement = db.prepare(PAGE).raw(true).safeIntegers(true);
  for (let from = INT64_MIN; ; ) {
    const got = statement.all(page(from));
    rows += got.length;
    if (BigInt(got.length) < PAGE_ROWS) return rows;
    from = got[got.length - 1].at(-1) + 1n;
  }
}

/** better-sqlite3 running the text design's two statements per page. */
async function readText(db) {
  const { textPlan } = await import(new URL('sql/sqlite-text-sql.js', dist));
  const described = db.prepare(PAGE).columns().slice(0, -1);
  const plan = textPlan(PAGE, described.map((c) => c.name), described.map((c) => c.type), described.map((_, i) => i), false);
  const text = db.prepare(plan.textSql).raw(true).safeIntegers(true);
  const holes = plan.holesSql === null ? null : db.prepare(plan.holesSql).raw(true).safeIntegers(true);
  let rows = 0;
  for (let from = INT64_MIN; ; ) {
    const [, count, last] = text.get(page(from));
    holes?.all(page(from));
    rows += Number(count);
    if (count < PAGE_ROWS) return rows;
    from = last + 1n;
  }
}

/** The export's page reader, encoding every row into batches that are dropped. */
async function encode(asValues) {
  const { openSqliteDatabase } = await import(new URL('sql/sqlite-driver.js', dist));
  const { SqliteRangeReader } = await import(new URL('jobs/sqlite-ranges.js', dist));
  const db = await openSqliteDatabase(path);
  const columns = db.prepare(PAGE).columns.slice(0, -1);
  const setup = {
    path, sql: PAGE, paged: true, positional: [], named: {}, separator: ',', checkText: false,
    shape: { columns, arrays: false, jsonCols: false, blob: 'base64', floats: true },
    layout: { options: {}, lines: false },
  };
  const reader = new SqliteRangeReader(db, setup, null);
  // the reader's private statements of SQLite's text: without them every page is read as values
  if (asValues) reader.text = null;
  else if (!reader.sqliteText) throw new Error('SQLite does not write this table\'s text');
  let rows = 0;
  for (const batch of reader.batches(INT64_MIN, INT64_MAX)) rows += batch.ends.length;
  const [[expected]] = db.prepare('SELECT count(*) FROM t').all([], {});
  db.close();
  return [rows, Number(expected)];
}

/** better-sqlite3's own reading: [rows read, rows in the table]. */
async function read() {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(path, { readonly: true });
  const rows = mode === 'values' ? readValues(db) : await readText(db);
  const [expected] = db.prepare('SELECT count(*) FROM t').raw(true).get();
  return [rows, expected];
}

const [rows, expected] = mode.startsWith('encode-') ? await encode(mode === 'encode-values') : await read();
if (rows !== expected) throw new Error(`rows read: ${rows} of ${expected}`);
