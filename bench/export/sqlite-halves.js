// The ceiling of `jsondump export --jobs N` on an SQLite table: N worker threads each take their
// share of the table's rowids (in chunks of 4,096 rows, as the export's workers do) and either
// only read the rows with better-sqlite3 (`read`), or read and encode them as the export's
// workers do, page by page with jsondump's own reader (`encode`, jobs/sqlite-ranges.js from
// dist/: built first), with nothing posted or written. The export can be no faster than `read`,
// and its main thread's writing only adds to `encode`.
//
//   node bench/export/sqlite-halves.js DB read|encode [workers=2]

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';

const CHUNK_ROWS = 4096;

async function work({ db: path, mode, lo, hi }) {
  const sql = 'SELECT * FROM t WHERE _rowid_ >= ? AND _rowid_ <= ? ORDER BY _rowid_';
  if (mode === 'read') {
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const statement = new Database(path, { readonly: true }).prepare(sql).raw(true).safeIntegers(true);
    let rows = 0;
    for (let at = lo; at <= hi; at += CHUNK_ROWS) for (const row of statement.iterate(at, Math.min(hi, at + CHUNK_ROWS - 1))) rows += row.length > 0 ? 1 : 0;
    return rows;
  }
  const dist = new URL('../../dist/cli/', import.meta.url);
  const { openSqliteDatabase } = await import(new URL('sql/sqlite-driver.js', dist));
  const { SqliteRangeReader } = await import(new URL('jobs/sqlite-ranges.js', dist));
  const db = await openSqliteDatabase(path);
  // the export's page of a key range: the columns, then the key
  const page = 'SELECT *, _rowid_ FROM t WHERE _rowid_ >= :jsondump$lo AND _rowid_ <= :jsondump$hi ORDER BY _rowid_ LIMIT :jsondump$limit';
  const columns = db.prepare(page).columns.slice(0, -1);
  const setup = {
    path, sql: page, paged: true, positional: [], named: {}, separator: ',', checkText: false,
    shape: { columns, arrays: false, jsonCols: false, blob: 'base64', floats: true },
    layout: { options: {}, lines: false },
  };
  const reader = new SqliteRangeReader(db, setup, null);
  let rows = 0;
  for (let at = lo; at <= hi; at += CHUNK_ROWS) {
    for (const batch of reader.batches(BigInt(at), BigInt(Math.min(hi, at + CHUNK_ROWS - 1)))) rows += batch.ends.length;
  }
  return rows;
}

if (isMainThread) {
  const [db, mode, workers = '2'] = process.argv.slice(2);
  if (!db || !['read', 'encode'].includes(mode)) throw new Error('usage: sqlite-halves.js DB read|encode [workers]');
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const [min, max] = new Database(db, { readonly: true }).prepare('SELECT min(_rowid_), max(_rowid_) FROM t').raw(true).get();
  const n = Number(workers);
  const share = Math.ceil((max - min + 1) / n);
  const counts = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { db, mode, lo: min + i * share, hi: Math.min(max, min + (i + 1) * share - 1) } });
      return new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    }),
  );
  if (counts.reduce((a, b) => a + b, 0) !== max - min + 1) throw new Error(`rows read: ${counts.join(' + ')}`);
} else {
  parentPort.postMessage(await work(workerData));
}
