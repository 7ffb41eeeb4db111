// PostgreSQL columns whose to_json text is not the value the output writes, once a row's JSON
// is parsed to be written again: float4 and float8 are numbers of the output's dialect (to_json
// writes PostgreSQL's text: "NaN" and "Infinity" as strings, -0, 1e-07), int8 is an integer that
// --bigint and --canonical apply to (parsed JSON keeps number text as it is). Arrays of them, of
// any dimension, element by element.
import { rawText } from '../../raw-json.js';
import { floatValue } from './floats.js';

const OID = { int8: 20, float4: 700, float8: 701, int8Array: 1016, float4Array: 1021, float8Array: 1022 } as const;

const MAX_SAFE = 2n ** 53n - 1n;

/** The parsed to_json text of a number (exact number text, or a string for NaN and ±Infinity) as a double. */
function double(v: unknown): unknown {
  if (typeof v === 'string') return Number(v); // 'NaN', 'Infinity', '-Infinity'
  const text = v !== null && typeof v === 'object' ? rawText(v) : undefined;
  return text === undefined ? v : Number(text);
}

/** An integer's exact number text as a number, or a bigint past 2^53. */
function integer(v: unknown): unknown {
  const text = v !== null && typeof v === 'object' ? rawText(v) : undefined;
  if (text === undefined) return v;
  const n = BigInt(text);
  return n > MAX_SAFE || n < -MAX_SAFE ? n : Number(n);
}

function eachElement(convert: (v: unknown) => unknown): (v: unknown) => unknown {
  const walk = (v: unknown): unknown => (Array.isArray(v) ? v.map(walk) : convert(v));
  return walk;
}

/** The conversion of a column of type `oid`, or null when its parsed value is written as it is. */
function converterOf(oid: number, python: boolean): ((v: unknown) => unknown) | null {
  const float = (v: unknown) => {
    const n = double(v);
    return typeof n === 'number' ? floatValue(n, python) : n;
  };
  switch (oid) {
    case OID.float4:
    case OID.float8:
      return float;
    case OID.float4Array:
    case OID.float8Array:
      return eachElement(float);
    case OID.int8:
      return integer;
    case OID.int8Array:
      return eachElement(integer);
    default:
      return null;
  }
}

/** The columns (by index) whose parsed values need converting, with their conversion. */
export function pgConverters(oids: readonly number[], python: boolean): [number, (v: unknown) => unknown][] {
  const converters: [number, (v: unknown) => unknown][] = [];
  oids.forEach((oid, i) => {
    const convert = converterOf(oid, python);
    if (convert !== null) converters.push([i, convert]);
  });
  return converters;
}

/** Whether the type's to_json numbers differ from the js dialect's text of the same value (floats). */
export function isFloat(oid: number): 'float4' | 'float8' | null {
  return oid === OID.float4 ? 'float4' : oid === OID.float8 ? 'float8' : null;
}
