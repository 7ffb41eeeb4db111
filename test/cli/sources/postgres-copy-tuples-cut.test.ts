// The tuples of a binary COPY are the same fields however the socket cuts its data: a cut in a
// field count, a length, a field's bytes, between fields, rows whole in one piece and rows in many.
// The bytes are the server's own (psql's COPY … TO STDOUT (FORMAT binary)); the oracle is psql's
// unaligned text of the same text columns, whose binary form is their UTF-8 text.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { TupleReader } from '../../../src/cli/sources/pg-copy.js';
import type { FieldSink } from '../../../src/cli/rows/pg-rows.js';

const TABLE = `jsondump_copy_cuts_${process.pid}`;
const NULL_TEXT = '<null>';
const FIELD_SEP = '\x1f';
const ROW_SEP = '\x1e';

let server: PgServer;
let copyBytes: Buffer;
let expectedRows: (string | null)[][];

const psql = (args: string[]): Buffer => execFileSync('psql', [server.url, '-X', '-q', ...args], { maxBuffer: 1 << 28 });

beforeAll(() => {
  server = pgServer();
  // short fields, empty ones, NULLs, multi-byte characters, and fields longer than most pieces
  const value = (col: number) =>
    `CASE WHEN (g * ${col + 3}) % 7 = 0 THEN NULL WHEN (g + ${col}) % 5 = 0 THEN '' ` +
    `ELSE repeat(E'é東\\nab', 1 + (g * ${col + 11}) % (CASE WHEN g % 9 = 0 THEN 400 ELSE 6 END)) || g END`;
  psql(['-c', `CREATE TABLE ${TABLE} AS SELECT g AS id, ${[0, 1, 2].map((c) => `${value(c)} AS c${c}`).join(', ')} FROM generate_series(1, 300) AS g`]);
  const select = `SELECT c0, c1, c2 FROM ${TABLE} ORDER BY id`;
  copyBytes = psql(['-c', `COPY (${select}) TO STDOUT (FORMAT binary)`]);
  const text = psql(['-At', '-F', FIELD_SEP, '-R', ROW_SEP, '-P', `null=${NULL_TEXT}`, '-c', select]).toString().replace(/\n$/, ''); // psql ends its output with a line break
  expectedRows = text.split(ROW_SEP).map((row) => row.split(FIELD_SEP).map((field) => (field === NULL_TEXT ? null : field)));
});

afterAll(() => {
  if (server) psql(['-c', `DROP TABLE IF EXISTS ${TABLE}`]);
  server?.stop();
});

/** The rows a TupleReader reads from `pieces`; field 1 streamed in pieces, the others whole. */
function readRows(pieces: Buffer[]): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let streamed: Buffer[] = [];
  const sink: FieldSink = {
    value: (field, data, start, end) => void (row[field] = start < 0 ? null : data.toString('utf8', start, end)),
    streams: (field) => field === 1,
    piece: (field, data, start, end, last) => {
      streamed.push(Buffer.from(data.subarray(start, end)));
      if (!last) return;
      row[field] = Buffer.concat(streamed).toString();
      streamed = [];
    },
    endRow: () => {
      rows.push(row);
      row = [];
    },
  };
  const reader = new TupleReader(sink);
  for (const piece of pieces) reader.read(piece, 0, piece.length);
  return rows;
}

/** `bytes` cut into pieces of the sizes `size` gives in turn. */
function cut(bytes: Buffer, size: (k: number) => number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const end = Math.min(bytes.length, at + size(k));
    pieces.push(bytes.subarray(at, end));
    at = end;
  }
  return pieces;
}

describe('binary COPY tuples', () => {
  it('read whole are psql’s rows', () => {
    expect(expectedRows.length).toBe(300);
    expect(readRows([copyBytes])).toEqual(expectedRows);
  });

  it('cut into pieces of every size from 1 to 64 bytes are psql’s rows', () => {
    for (let size = 1; size <= 64; size++) {
      const got = readRows(cut(copyBytes, () => size));
      if (JSON.stringify(got) !== JSON.stringify(expectedRows)) expect({ size, got }).toEqual({ size, got: expectedRows });
    }
  });

  it('cut at random places are psql’s rows', () => {
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let run = 0; run < 200; run++) {
      const largest = [3, 30, 300, 3000][run % 4];
      const got = readRows(cut(copyBytes, () => 1 + Math.floor(next() * largest)));
      if (JSON.stringify(got) !== JSON.stringify(expectedRows)) expect({ run, got }).toEqual({ run, got: expectedRows });
    }
  });
});
