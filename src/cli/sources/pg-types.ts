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

// Strings are matched whole, so that only the white space and separators between tokens change.
const JSON_SEPARATORS = /("(?:[^"\\]|\\.)*")|[ \t\n\r]*([,:])[ \t\n\r]*|[ \t\n\r]+/g;

/**
 * json/jsonb text re-spaced with the output's separators: json keeps the input's layout,
 * newlines included, which would break JSON Lines; jsonb has its own spacing.
 */
function embeddedJson(itemSep: string, keySep: string): (text: string) => unknown {
  return (text) =>
    rawJSON(
      text.replace(JSON_SEPARATORS, (_, string: string | undefined, separator: string | undefined) =>
        string ?? (separator === ',' ? itemSep : separator === ':' ? keySep : ''),
      ),
    );
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

function parsers(itemSep: string, keySep: string): Record<number, (text: string) => unknown> {
  const json = embeddedJson(itemSep, keySep);
  return {
    [OID.bytea]: base64FromHex,
    [OID.int8]: exactNumber,
    [OID.numeric]: exactNumber,
    [OID.json]: json,
    [OID.jsonb]: json,
    [OID.date]: (text) => text,
    [OID.timestamp]: isoTimestamp,
    [OID.timestamptz]: isoTimestamp,
  };
}

/** Session settings the parsers above rely on. */
export const SESSION_SETTINGS = "SET DateStyle = ISO; SET TimeZone = 'UTC'; SET bytea_output = hex";

/** Per-client type parsers (pg's global parsers are left alone); json columns use the output's separators. */
export function jsonTypes(itemSep: string, keySep: string): CustomTypesConfig {
  const own = parsers(itemSep, keySep);
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      (format ?? 'text') === 'text' && own[oid] !== undefined ? own[oid] : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
  };
}
