// A worker of `--jobs N` for an SQLite table: reads its chunks (key ranges) with its own
// connection, page by page (jobs/sqlite-ranges.ts), and posts the bytes to the main thread
// (transferred, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { sqliteFailure } from '../rows/encode-rows.js';
import { SourceError } from '../errors.js';
import { ValueError } from '../rows/value-errors.js';
import { openSqliteDatabase, type SqliteDatabase } from '../sql/sqlite-driver.js';
import { SqliteTextCheck } from '../sql/sqlite-text-check.js';
import { SqliteRangeReader } from './sqlite-ranges.js';
import type { JobCredits, JobReply, JobRequest, JobSetup } from './protocol.js';

const { setup, credits, slot } = workerData as { setup: JobSetup } & JobCredits;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Waits (blocking this worker only) until the main thread has room for another batch. */
function takeCredit(): void {
  while (Atomics.load(credits, slot) <= 0) Atomics.wait(credits, slot, 0);
  Atomics.sub(credits, slot, 1);
}
const port = parentPort!;
const post = (reply: JobReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

function failure(error: unknown, chunk: number | null = null): JobReply {
  // its row counts from the chunk's first: the main thread knows the rows written before
  if (error instanceof ValueError && error.row !== null && chunk !== null) return { chunk, row: error.row, error: error.message };
  const reported = sqliteFailure(error);
  return { error: reported.message, source: reported instanceof SourceError };
}

/**
 * Ends the read transaction begun last (if any) and begins another, its snapshot fixed by a
 * first read: every chunk is then read in it, whatever is committed meanwhile.
 */
function beginSnapshot(db: SqliteDatabase, begun: boolean): void {
  if (begun) db.exec('COMMIT');
  db.exec('BEGIN');
  const rows = db.prepare('SELECT count(*) FROM sqlite_schema').rows([], {});
  rows.next();
  rows.return?.();
}

try {
  const db = await openSqliteDatabase(setup.path);
  const textDb = setup.checkText ? await openSqliteDatabase(setup.path) : null;
  // a page holds the key after the columns
  const textCheck = textDb === null ? null : new SqliteTextCheck(textDb, [...setup.shape.columns, 'key']);
  const reader = new SqliteRangeReader(db, setup, textCheck);
  let begun = false;
  port.on('message', (request: JobRequest) => {
    if (request === null) {
      textCheck?.close();
      textDb?.close();
      db.close();
      port.close();
      return;
    }
    if ('snapshot' in request) {
      try {
        beginSnapshot(db, begun);
        begun = true;
        post({ snapshot: true });
      } catch (error) {
        post(failure(error));
      }
      return;
    }
    try {
      for (const batch of reader.batches(request.lo ?? INT64_MIN, request.hi ?? INT64_MAX)) {
        takeCredit();
        const bytes = batch.bytes as Buffer;
        post({ chunk: request.chunk, bytes, ends: batch.ends }, [bytes.buffer as ArrayBuffer]);
      }
      post({ chunk: request.chunk, done: true, notJson: reader.notJson });
      reader.notJson = 0;
    } catch (error) {
      post(failure(error, request.chunk));
    }
  });
} catch (error) {
  post(failure(error));
}
