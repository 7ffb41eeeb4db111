// jsonb in the compact layout is the server's text with the spaces jsonb_out puts after ',' and
// ':' dropped, and nothing else changed: strings keep JSON.stringify's escapes (every control
// character, quotes, backslashes, ", " and ": " inside strings and keys), numbers keep the text
// the server normalised them to, whole values and values streamed in pieces cut anywhere (after
// a backslash, inside a character). The oracles: JSON.stringify of the server's text parsed by
// JSON.parse (where every number is an integer, whose text is the same either way), and
// stream-json's exact numbers where they are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { exactValues } from '../helpers/db-helpers.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';
import { JsonbCompact } from '../../../src/cli/rows/jsonb-compact.js';
import { RecordBytes } from '../../../src/cli/rows/record-bytes.js';

const TABLE = `jsondump_jsonb_compact_${process.pid}`;
const ROWS = 400;

let server: PgServer;
let client: pg.Client;

/** Every character from U+0001 to U+00A0, and some beyond, in strings of a few characters. */
const ALPHABET = [...Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i + 1)), 'é', '東', '😀', '\u2028', '\u2029', ', ', ': ', ' ', '\\', '"', '\\"', '\\\\'];

function randomString(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

/** A nested value of strings, integers, literals, arrays and objects (keys random strings too). */
function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 4 : 6));
  switch (kind) {
    case 0:
      return randomString(next);
    case 1:
      return Math.floor((next() - 0.5) * 2 ** 52);
    case 2:
      return [true, false, null][Math.floor(next() * 3)];
    case 3:
      return '';
    case 4:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [randomString(next), randomValue(next, depth + 1)]));
  }
}

beforeAll(async () => {
  server = pgServer();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE TABLE ${TABLE} (id int4 PRIMARY KEY, j jsonb, js jsonb[])`);
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const docs = Array.from({ length: ROWS }, () => JSON.stringify(randomValue(next, 0)));
  await client.query(`INSERT INTO ${TABLE} SELECT n, d::jsonb, ARRAY[d::jsonb, NULL, '{"a b": [1, {"c": "d, e: f"}]}'] FROM unnest($1::text[]) WITH ORDINALITY AS u(d, n)`, [docs]);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await client?.end();
  server?.stop();
});

/** The server's text of each row's jsonb, as jsonb_out writes it. */
async function serverTexts(): Promise<{ j: string; js: string[] }[]> {
  const { rows } = await client.query(`SELECT j::text AS j, (SELECT array_agg(coalesce(e::text, 'null') ORDER BY n) FROM unnest(js) WITH ORDINALITY AS u(e, n)) AS js FROM ${TABLE} ORDER BY id`);
  return rows as { j: string; js: string[] }[];
}

describe('jsonb in the compact layout', () => {
  it('is JSON.stringify of the server text, every character of every string kept as it escapes it', async () => {
    const expected = (await serverTexts()).map((row, i) => `{"id":${i + 1},"j":${JSON.stringify(JSON.parse(row.j))},"js":[${row.js.map((e) => JSON.stringify(JSON.parse(e))).join(',')}]}\n`);
    const result = await runCli(['export', server.url, '--query', `SELECT * FROM ${TABLE} ORDER BY id`, '--lines']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const lines = result.stdout.split(/(?<=\n)/);
    for (let i = 0; i < expected.length; i++) if (lines[i] !== expected[i]) expect(lines[i]).toBe(expected[i]);
    expect(lines.length).toBe(ROWS);
  });

  it('keeps the text of numbers as the server normalised them (1.50, 0.0, 1e400 as digits, -0)', async () => {
    const values = `SELECT '[1.50, 0.0, -0, 1e400, 1E-7, 12345678901234567890, -0.000]'::jsonb AS j, '{"x": 2.5e3}'::jsonb AS o, '"a: b, c"'::jsonb AS s, '7'::jsonb AS n`;
    const result = await runCli(['export', server.url, '--query', values, '--lines']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const { rows } = await client.query(`SELECT row_to_json(v)::text AS r FROM (${values}) AS v`);
    expect(await exactValues(result.stdout)).toEqual(await exactValues(rows[0].r as string));
    // no space outside strings
    expect(result.stdout.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toContain(' ');
  });

  it('streamed in pieces cut at every byte, the same as whole', async () => {
    const texts = (await serverTexts()).slice(0, 60).map((row) => Buffer.from(row.j));
    const written = (pieces: Buffer[]): string => {
      const batches: Buffer[] = [];
      const out = new RecordBytes(Buffer.alloc(0), (batch) => batches.push(Buffer.from(batch.bytes)));
      const compact = new JsonbCompact();
      out.beginRecord();
      compact.begin();
      for (const piece of pieces) compact.part(piece, 0, piece.length, out);
      out.endRecord();
      const last = out.take();
      return Buffer.concat([...batches, ...(last === null ? [] : [Buffer.from(last.bytes)])]).toString();
    };
    for (const text of texts) {
      const whole = JSON.stringify(JSON.parse(text.toString()));
      for (let cut = 0; cut <= text.length; cut++) {
        const got = written([text.subarray(0, cut), text.subarray(cut)]);
        if (got !== whole) expect({ cut, got }).toEqual({ cut, got: whole });
      }
    }
  });

  it('a large value of escapes and separators inside strings, streamed from the server, equals its text made compact', async () => {
    // about 3 MB: socket chunks cut it in many places, most of them inside strings of escapes
    const big = `SELECT jsonb_agg(jsonb_build_object('k, "' || g || '": ', repeat(E'\\\\"\\n, : ', 1 + g % 50))) AS j FROM generate_series(1, 20000) AS g`;
    const result = await runCli(['export', server.url, '--query', big, '--lines']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const { rows } = await client.query(`SELECT j::text AS j FROM (${big}) AS b`);
    expect(result.stdout === `{"j":${JSON.stringify(JSON.parse(rows[0].j as string))}}\n`).toBe(true);
  });
});
