// A PostgreSQL float column as JSON in JSON.stringify's number text, written by the server, for
// the rows it writes in the output's own text (the js dialect's defaults: see `verbatim` in
// sources/postgres.ts). With extra_float_digits ≥ 1 (PostgreSQL 12 on) the server writes the
// same shortest digits as JavaScript, but in exponent notation from 1e15 (float4: 1e6) and below
// 1e-4, with two exponent digits (1e-07), and -0, NaN and ±Infinity as JavaScript does not write
// them. Values in the range both write alike, most values in most columns, are to_json's text
// as it is; the others are rewritten from their exponent form.

/** Bounds of the magnitudes the server writes in fixed notation, by type: [1e-4, upper). */
const FIXED_UPPER = { float4: '1e6', float8: '1e15' } as const;

// sign, first digit, other digits, exponent: the server's exponent notation
const EXPONENT_FORM = `'^(-?)([0-9])(?:\\.([0-9]+))?e([-+][0-9]+)$'`;

/**
 * JSON.stringify's text from the parts `x.m` (regexp_match of EXPONENT_FORM), `y.e` the exponent
 * and `y.d` the digits: exponent notation from 1e21 and below 1e-6, fixed notation between.
 * (Every name qualified: a user column of the same name is never taken for it.)
 */
const JS_TEXT = `CASE
  WHEN y.e >= 21 OR y.e <= -7 THEN x.m[1] || x.m[2] || coalesce('.' || x.m[3], '') || 'e' || CASE WHEN y.e > 0 THEN '+' ELSE '-' END || abs(y.e)
  WHEN y.e >= 0 AND length(y.d) <= y.e + 1 THEN x.m[1] || y.d || repeat('0', y.e + 1 - length(y.d))
  WHEN y.e >= 0 THEN x.m[1] || left(y.d, y.e + 1) || '.' || substr(y.d, y.e + 2)
  ELSE x.m[1] || '0.' || repeat('0', -y.e - 1) || y.d
END`;

/** The json value of float column `column` (a qualified SQL expression) whose number text is JavaScript's. */
export function jsFloatJson(column: string, type: 'float4' | 'float8'): string {
  const lo = `'1e-4'::${type}`;
  const hi = `'${FIXED_UPPER[type]}'::${type}`;
  const fixed = `(${column} >= ${lo} AND ${column} < ${hi}) OR (${column} <= -${lo} AND ${column} > -${hi})`;
  const rewritten =
    `(SELECT (${JS_TEXT})::json FROM regexp_match(${column}::text, ${EXPONENT_FORM}) AS x(m), ` +
    `LATERAL (SELECT x.m[4]::int AS e, x.m[2] || coalesce(x.m[3], '') AS d) AS y)`;
  // no match (a server before 12 writes fixed notation further): its own text, a JSON number still
  return `CASE WHEN ${column} IS NULL THEN NULL WHEN ${fixed} THEN to_json(${column})
    WHEN ${column} = 0 THEN '0'::json
    WHEN ${column} IN ('NaN', 'Infinity', '-Infinity') THEN 'null'::json
    ELSE coalesce(${rewritten}, to_json(${column})) END`;
}
