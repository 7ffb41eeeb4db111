// PostgreSQL columns whose to_json text is not the value the output writes, once a row's JSON
// is parsed to be written again: float4 and float8 are numbers of the output's dialect (to_json
// writes PostgreSQL's text: "NaN" and "Infinity" as strings, -0, 1e-07), int8 is an integer that
// --bigint and --canonical apply to (parsed JSON keeps number text as it is). Arrays of them, of
// any dimension, element by element, and composite types field by field, domains seen through.
import { rawText } from '../../raw-json.js';
import type { PgShape } from '../sql/pg-types.js';
import { floatValue } from './floats.js';

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

/** The conversion of a value of `shape` (see sql/pg-types.ts), or null when it is written as parsed. */
function converterOf(shape: PgShape, python: boolean): ((v: unknown) => unknown) | null {
  switch (shape.kind) {
    case 'float':
      return (v) => {
        const n = double(v);
        return typeof n === 'number' ? floatValue(n, python) : n;
      };
    case 'int8':
      return integer;
    case 'array': {
      const element = converterOf(shape.element, python) as (v: unknown) => unknown;
      // a multi-dimensional array is arrays of arrays, the elements at the bottom
      const walk = (v: unknown): unknown => (Array.isArray(v) ? v.map(walk) : element(v));
      return walk;
    }
    case 'composite': {
      const fields = shape.fields.flatMap(([name, field]) => {
        const convert = converterOf(field, python);
        return convert === null ? [] : [[name, convert] as const];
      });
      return (v) => {
        if (!(v instanceof Map)) return v;
        for (const [name, convert] of fields) if (v.has(name)) v.set(name, convert(v.get(name)));
        return v;
      };
    }
    default:
      return null;
  }
}

/** The columns (by index) whose parsed values need converting, with their conversion. */
export function pgConverters(shapes: readonly PgShape[], python: boolean): [number, (v: unknown) => unknown][] {
  const converters: [number, (v: unknown) => unknown][] = [];
  shapes.forEach((shape, i) => {
    const convert = converterOf(shape, python);
    if (convert !== null) converters.push([i, convert]);
  });
  return converters;
}
