// The SQL of a plan's key: the expression that names it, its order, and the condition of each
// range, with the boundaries written as literals of the database. Literals, not parameters: a
// PostgreSQL shard then streams through COPY, which takes none, and the user's --param values
// keep the placeholders they were given ($1, ?, :name). Every literal is built from a checked
// value (digits, hex, text with its quotes doubled), and the conditions are row-value
// comparisons, `(a, b) >= (1, 'x')`, which SQLite and PostgreSQL both evaluate in the key's order.
import { ANSI } from '../sql/select.js';
import { SourceError } from '../errors.js';
import type { KeyColumn, KeyTuple, KeyValue, Plan, PlanRange } from './plan-file.js';

export interface KeyDialect {
  /** The literal of `value` as a value of `column`. */
  literal(value: KeyValue, column: KeyColumn): string;
  /** After `ORDER BY name` when NULL keys must come first (PostgreSQL puts them last). */
  nullsFirst: string;
}

// -9223372036854775808 is read as minus a number past 64 bits (a REAL in SQLite, a numeric in PostgreSQL)
const INT64_MIN = '-9223372036854775808';
const integerLiteral = (digits: string) => (digits === INT64_MIN ? '(-9223372036854775807 - 1)' : digits);

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

export const SQLITE_KEY: KeyDialect = {
  literal(value) {
    if ('integer' in value) return integerLiteral(value.integer);
    if ('blob' in value) return `X'${value.blob}'`;
    return quoted(value.text);
  },
  nullsFirst: '', // SQLite's ascending order puts NULL first
};

/**
 * PostgreSQL key types and the type their text is read back as (`character` alone would be
 * char(1), and cut the value). An integer key's boundaries are written as digits.
 */
export const PG_KEY_TYPES: Record<string, string> = {
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  text: 'text',
  'character varying': 'varchar',
  character: 'bpchar',
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  uuid: 'uuid',
};

export const POSTGRES_KEY: KeyDialect = {
  literal(value, column) {
    if ('integer' in value) return integerLiteral(value.integer);
    const type = PG_KEY_TYPES[column.type];
    if (type === undefined || !('text' in value)) throw new SourceError(`the plan's key column ${column.name} is of type ${column.type}, which jsondump does not split by`);
    // E'…': backslashes are escapes whatever standard_conforming_strings says
    return `CAST(E'${value.text.replace(/\\/g, '\\\\').replace(/'/g, "''")}' AS ${type})`;
  },
  nullsFirst: ' NULLS FIRST',
};

export const keyDialect = (plan: Pick<Plan, 'database'>) => (plan.database === 'sqlite' ? SQLITE_KEY : POSTGRES_KEY);

/** A key column in SQL: quoted, or the bare name of SQLite's rowid (a name no column takes). */
export function columnSql(column: KeyColumn): string {
  if (column.rowid === true) {
    if (!/^(?:rowid|_rowid_|oid)$/i.test(column.name)) throw new SourceError(`the plan's key ${column.name} is not a name of SQLite's rowid`);
    return column.name;
  }
  return ANSI.quote(column.name);
}

const tuple = (parts: string[]) => (parts.length === 1 ? parts[0] : `(${parts.join(', ')})`);

/** The key as one expression: `"id"`, or the row value `("a", "b")`. */
export const keySql = (key: KeyColumn[]) => tuple(key.map(columnSql));

export function tupleSql(values: KeyTuple, key: KeyColumn[], dialect: KeyDialect): string {
  return tuple(values.map((value, i) => dialect.literal(value, key[i])));
}

/** ORDER BY of the key; NULL keys (the first shard's) come first. */
export function keyOrder(key: KeyColumn[], dialect: KeyDialect): string {
  return key.map((column) => columnSql(column) + (column.nullable ? dialect.nullsFirst : '')).join(', ');
}

/** Rows whose key has no NULL in it (a row value with a NULL compares as unknown, or by its other columns). */
export function keyNotNull(key: KeyColumn[]): string | null {
  const nullable = key.filter((column) => column.nullable);
  return nullable.length === 0 ? null : nullable.map((column) => `${columnSql(column)} IS NOT NULL`).join(' AND ');
}

/** The key from `from` (inclusive) up to `to` (exclusive), either open, among keys without NULL. */
export function betweenSql(key: KeyColumn[], dialect: KeyDialect, from: KeyTuple | null, to: KeyTuple | null): string {
  const parts: string[] = [];
  const notNull = keyNotNull(key);
  if (notNull !== null) parts.push(notNull);
  if (from !== null) parts.push(`${keySql(key)} >= ${tupleSql(from, key, dialect)}`);
  if (to !== null) parts.push(`${keySql(key)} < ${tupleSql(to, key, dialect)}`);
  return parts.length === 0 ? '1 = 1' : parts.join(' AND ');
}

/**
 * The condition of shard `k`'s rows. Every row is in exactly one shard: the ranges meet end to
 * start, the first and last are open, and a row whose key holds a NULL is in the first shard.
 */
export function rangeSql(plan: Pick<Plan, 'database' | 'key' | 'ranges'>, k: number): string {
  const range: PlanRange = plan.ranges[k];
  if (range.empty === true) return '1 = 0';
  const between = betweenSql(plan.key, keyDialect(plan), range.from, range.to);
  const notNull = keyNotNull(plan.key);
  if (k > 0 || notNull === null) return `(${between})`;
  return `((${between}) OR NOT (${notNull}))`;
}
