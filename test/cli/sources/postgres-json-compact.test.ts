// json (not jsonb) in the compact layout: the user's own text, with white space of every kind
// between its tokens and strings escaped every way JSON allows (\/, \u00e9, \u001F, \" …), is
// written as JSON.stringify writes the value it holds: white space dropped, strings escaped as
// JSON.stringify escapes them. The oracle: JSON.stringify of JSON.parse of the stored text
// (every number an integer, whose text is the same either way).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { pgServer, type PgServer } from '../helpers/pg-server.js';

const TABLE = `jsondump_json_compact_${process.pid}`;
const ROWS = 400;

let server: PgServer;
let client: pg.Client;
let texts: string[];

const ALPHABET = ['a', 'é', '東', '😀', '/', '"', '\\', '\n', '\t', '\u0001', '\u001f', '\u2028', ' ', ', ', ': ', '<'];

/** The text of `value` with random white space between tokens and random (valid) escapes in strings. */
function serialize(value: unknown, next: () => number): string {
  const space = () => ['', ' ', '\n', '\t', '\r', '  \n '][Math.floor(next() * 6)];
  const string = (s: string) => {
    let text = '"';
    for (const ch of s) {
      const code = ch.codePointAt(0) as number;
      const pick = next();
      if (code < 0x10000 && pick < 0.25) text += '\\u' + code.toString(16).padStart(4, '0')[pick < 0.12 ? 'toUpperCase' : 'toLowerCase']();
      else if (ch === '/' && pick < 0.6) text += '\\/';
      else text += JSON.stringify(ch).slice(1, -1);
    }
    return text + '"';
  };
  const around = (text: string) => space() + text + space();
  if (Array.isArray(value)) return around('[' + value.map((v) => serialize(v, next)).join(',') + space() + ']');
  if (value !== null && typeof value === 'object') return around('{' + Object.entries(value).map(([k, v]) => around(string(k)) + ':' + serialize(v, next)).join(',') + space() + '}');
  return around(typeof value === 'string' ? string(value) : JSON.stringify(value));
}

function randomValue(next: () => number, depth: number): unknown {
  const text = () => Array.from({ length: Math.floor(next() * 5) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
  switch (Math.floor(next() * (depth > 3 ? 3 : 5))) {
    case 0:
      return text();
    case 1:
      return Math.floor((next() - 0.5) * 2 ** 52);
    case 2:
      return [true, false, null][Math.floor(next() * 3)];
    case 3:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [text(), randomValue(next, depth + 1)]));
  }
}

beforeAll(async () => {
  server = pgServer();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  let seed = 3;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  // a third of the documents with no escape that JSON.stringify writes otherwise
  texts = Array.from({ length: ROWS }, (_, i) => (i % 3 === 0 ? JSON.stringify(randomValue(next, 0), null, i % 2 === 0 ? '\t' : undefined) : serialize(randomValue(next, 0), next)));
  await client.query(`CREATE TABLE ${TABLE} (id int4 PRIMARY KEY, j json)`);
  await client.query(`INSERT INTO ${TABLE} SELECT n, t::json FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)`, [texts]);
});

afterAll(async () => {
  await client?.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
  await client?.end();
  server?.stop();
});

describe('json in the compact layout', () => {
  it('is JSON.stringify of the value the stored text holds, white space and escapes of every kind', async () => {
    const { rows } = await client.query(`SELECT j::text AS t FROM ${TABLE} ORDER BY id`);
    expect(rows.map((row) => row.t)).toEqual(texts); // json keeps the text as it was given
    const result = await runCli(['export', server.url, '--query', `SELECT j FROM ${TABLE} ORDER BY id`, '--lines']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    const lines = result.stdout.split(/(?<=\n)/);
    expect(lines.length).toBe(ROWS);
    for (let i = 0; i < ROWS; i++) {
      const expected = `{"j":${JSON.stringify(JSON.parse(texts[i]))}}\n`;
      if (lines[i] !== expected) expect({ row: i + 1, line: lines[i] }).toEqual({ row: i + 1, line: expected });
    }
  });
});
