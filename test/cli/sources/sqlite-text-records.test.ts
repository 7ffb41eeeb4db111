// Records whose text SQLite writes (json_object() runs, hex of BLOBs, the other values stitched in
// by the row encoder) are the text JSON.stringify gives each value, whatever the storage class
// of each value in each column: SQLite types values, not columns, so a column declared INTEGER
// may hold a REAL and one declared TEXT a BLOB (which json_object() would read as JSONB). Pages
// are a few rows, so that pages of SQLite's text and pages read again as values alternate.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { SqliteRangeReader } from '../../../src/cli/jobs/sqlite-ranges.js';
import { openSqliteDatabase } from '../../../src/cli/sql/sqlite-driver.js';
import type { JobSetup } from '../../../src/cli/jobs/protocol.js';
import type { BlobFormat } from '../../../src/cli/rows/values.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TYPES = ['INTEGER', 'BIGINT', 'TEXT', 'VARCHAR(20)', 'REAL', 'DOUBLE', 'NUMERIC', 'BLOB', ''];

const dir = mkdtempSync(join(tmpdir(), 'jsondump-sqlite-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const anyValue = fc.oneof(
  fc.constant(null),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.constantFrom(0n, -1n, 2n ** 53n + 1n, INT64_MIN, INT64_MAX),
  fc.double({ noNaN: true }),
  fc.constantFrom(0.1 + 0.2, 5e-324, 1e21, 1e-7, -0, 42, 1.5, Infinity, -Infinity, 1.7976931348623157e308),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('"\\\b\f\n\r\t\u0000\u0001\u001f\u007f', '\u2028\u2029', '😀 東京', '\uFFFD', '{"a": 1}', '[1, 2]', '12', ''),
  fc.uint8Array({ maxLength: 20 }),
  // BLOBs that SQLite's JSON functions would take for JSONB: null, {}, [1,2]
  fc.constantFrom(Uint8Array.of(0x00), Uint8Array.of(0x0c), Uint8Array.of(0x2b, 0x13, 0x31, 0x13, 0x32), new Uint8Array(0)),
);

/** A value of the kind a column of this type usually holds; sometimes any value at all. */
function columnValue(type: string): fc.Arbitrary<unknown> {
  const usual =
    type.includes('INT') ? fc.bigInt({ min: INT64_MIN, max: INT64_MAX })
    : type.includes('CHAR') || type === 'TEXT' ? fc.string({ unit: 'grapheme' })
    : type === 'BLOB' ? fc.uint8Array({ maxLength: 30 })
    : fc.double({ noNaN: true });
  // what SQLite's JSON functions would write wrongly: REALs (not their shortest text), JSONB-like BLOBs
  const tricky = fc.constantFrom<unknown>(0.1 + 0.2, 5e-324, 1.5, Uint8Array.of(0x0c), Uint8Array.of(0x00), Uint8Array.of(0x2b, 0x13, 0x31, 0x13, 0x32));
  return fc.oneof(
    { arbitrary: usual, weight: 7 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: anyValue, weight: 1 },
    { arbitrary: tricky, weight: 1 },
  );
}

const table = fc
  .uniqueArray(fc.constantFrom('id2', 'a', 'naïve', 'say "hi"', 'x y', '__proto__', 'ü', 'b'), { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc.record({
      names: fc.constant(names),
      types: fc.tuple(...names.map(() => fc.constantFrom(...TYPES))),
    }),
  )
  .chain(({ names, types }) =>
    fc.record({
      names: fc.constant(names),
      types: fc.constant(types),
      rows: fc.array(fc.tuple(...types.map(columnValue)), { minLength: 0, maxLength: 40 }),
      arrays: fc.boolean(),
      lines: fc.boolean(),
      blob: fc.constantFrom<BlobFormat>('base64', 'hex', 'object'),
      pageRows: fc.integer({ min: 1, max: 7 }),
    }),
  );

type Table = typeof table extends fc.Arbitrary<infer T> ? T : never;

/** JSON.stringify's text of one value as the database holds it (read back by better-sqlite3). */
function valueText(v: unknown, blob: BlobFormat): string {
  if (typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) {
    if (blob === 'hex') return JSON.stringify(v.toString('hex'));
    return blob === 'object' ? `{"$base64":${JSON.stringify(v.toString('base64'))}}` : JSON.stringify(v.toString('base64'));
  }
  return JSON.stringify(v);
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

let file = 0;

async function check(t: Table, counts: { text: number; values: number }): Promise<void> {
  const path = join(dir, `t${file++}.db`);
  const db = new Database(path);
  try {
    db.exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, ${t.names.map((n, i) => `${quote(n)} ${t.types[i]}`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO t VALUES (?, ${t.names.map(() => '?').join(', ')})`);
    t.rows.forEach((row, i) => insert.run(BigInt(i * 3 + 1), ...row.map((v) => (v instanceof Uint8Array ? Buffer.from(v) : v))));
    const columns = ['k', ...t.names];
    // what the database holds, each value as JSON.stringify writes it
    const stored = db.prepare('SELECT * FROM t ORDER BY k').raw(true).safeIntegers(true).all() as unknown[][];
    const expected = stored.map((row) => {
      const texts = row.map((v) => valueText(v, t.blob));
      return t.arrays ? `[${texts.join(',')}]` : `{${texts.map((text, i) => `${JSON.stringify(columns[i])}:${text}`).join(',')}}`;
    });
    const separator = t.lines ? '\n' : ',';
    const setup: JobSetup = {
      path,
      sql: `SELECT *, k FROM t WHERE k >= :jsondump$lo AND k <= :jsondump$hi ORDER BY k LIMIT :jsondump$limit`,
      paged: true,
      positional: [],
      named: {},
      shape: { columns, arrays: t.arrays, jsonCols: false, blob: t.blob, floats: true },
      layout: { options: {}, lines: t.lines },
      separator,
      checkText: false,
    };
    const reading = await openSqliteDatabase(path);
    try {
      const reader = new SqliteRangeReader(reading, setup, null, { firstRows: t.pageRows, bytes: 1 });
      expect(reader.sqliteText).toBe(true);
      const records: string[] = [];
      for (const batch of reader.batches(INT64_MIN, INT64_MAX)) {
        const bytes = Buffer.from(batch.bytes);
        let start = 0;
        for (const end of Array.from(batch.ends)) {
          expect(bytes.subarray(start, start + separator.length).toString()).toBe(separator);
          records.push(bytes.subarray(start + separator.length, end).toString('utf8'));
          start = end;
        }
      }
      expect(records).toEqual(expected);
      counts.text += reader.textPages;
      counts.values += reader.valuePages;
    } finally {
      reading.close();
    }
  } finally {
    db.close();
  }
}

describe('records SQLite writes itself', () => {
  it('are the text JSON.stringify gives each value, for every storage class in every declared column type', async () => {
    const counts = { text: 0, values: 0 };
    await fc.assert(fc.asyncProperty(table, (t) => check(t, counts)), { numRuns: 200 });
    // both kinds of page were written: SQLite's text, and values after text it could not write
    expect(counts.text).toBeGreaterThan(20);
    expect(counts.values).toBeGreaterThan(20);
  });
});
