// How PostgreSQL column text becomes JSON: exact numbers, embedded JSON, ISO timestamps.
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';
import { rawJSON } from '../../index.js';

const OID = {
  bytea: 17,
  int8: 20,
  json: 114,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

/** int8 and numeric text, written as JSON numbers digit for digit; NaN/Infinity as the dialect writes them. */
function exactNumber(text: string): unknown {
  return /^-?(?:Infinity|NaN)$/.test(text) ? Number(text) : rawJSON(text);
}

// Strings are matched whole so that only the white space between tokens is dropped.
const JSON_SPACE = /("(?:[^"\\]|\\.)*")|[ \t\n\r]+/g;

/** json keeps the input's layout, newlines included: compacted so that JSON Lines stay one per line. */
function embeddedJson(text: string): unknown {
  return rawJSON(text.replace(JSON_SPACE, (_, string: string | undefined) => string ?? ''));
}

const TIMESTAMP = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?:([+-]\d\d)(?::(\d\d))?)?$/;

/** '2024-01-02 03:04:05.123456+00' → '2024-01-02T03:04:05.123456Z' (microseconds kept, unlike Date). */
function isoTimestamp(text: string): string {
  const match = TIMESTAMP.exec(text);
  // 'infinity', BC dates and offsets with seconds have no ISO 8601 form: written as PostgreSQL prints them
  if (match === null) return text;
  const [, date, time, hours, minutes = '00'] = match;
  if (hours === undefined) return `${date}T${time}`;
  return `${date}T${time}${hours === '+00' && minutes === '00' ? 'Z' : `${hours}:${minutes}`}`;
}

function base64FromHex(text: string): string {
  return Buffer.from(text.slice(2), 'hex').toString('base64');
}

const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.bytea]: base64FromHex,
  [OID.int8]: exactNumber,
  [OID.numeric]: exactNumber,
  [OID.json]: embeddedJson,
  [OID.jsonb]: embeddedJson,
  [OID.date]: (text) => text,
  [OID.timestamp]: isoTimestamp,
  [OID.timestamptz]: isoTimestamp,
};

/** Session settings the parsers above rely on. */
export const SESSION_SETTINGS = "SET DateStyle = ISO; SET TimeZone = 'UTC'; SET bytea_output = hex";

/** Per-client type parsers (pg's global parsers are left alone). */
export const jsonTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format ?? 'text') === 'text' && PARSERS[oid] !== undefined
      ? PARSERS[oid]
      : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};
