// The SELECT of a --table export: quoted names, the user's --where and --order-by as SQL, and
// every value (--param, --limit) bound as a parameter, never pasted into the text.
import { UsageError } from '../errors.js';
import type { ExportArgs } from '../export-args.js';
import { SourceError } from '../errors.js';

export interface SqlDialect {
  /** Quotes one identifier. */
  quote(name: string): string;
  /** The placeholder of the n-th positional parameter (1-based). */
  placeholder(n: number): string;
  /** Whether `name=value` parameters can be bound by name. */
  named: boolean;
  /**
   * Whether a --param value that reads as a number is bound as a number. SQLite needs it: it
   * compares an integer with a text as unequal, so `length(name) > '5'` is never true.
   * PostgreSQL types each parameter from the query, and MySQL converts text where the
   * comparison needs a number: both are sent text.
   */
  numberParams: boolean;
}

export const ANSI: Pick<SqlDialect, 'quote'> = {
  quote: (name) => '"' + name.replace(/"/g, '""') + '"',
};

export interface Params {
  positional: unknown[];
  named: Record<string, unknown>;
}

// name=value binds :name; anything else (or a value starting with '=', which is dropped) is positional.
const NAMED = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

// What reads as a number: a JSON number. Text with a leading zero, a '+' or a bare '.' stays text
// (a zip code, a phone number), and so does anything with a space, a colon or a letter but an exponent.
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const DECIMAL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A --param value as SQLite's shell binds it (`.param set`): an integer as a 64-bit integer
 * (bigint: exact past 2^53), one past 64 bits or a decimal as a REAL, anything else as text.
 */
export function numberOrText(text: string): string | number | bigint {
  if (INTEGER.test(text)) {
    const n = BigInt(text);
    return n >= INT64_MIN && n <= INT64_MAX ? n : Number(text);
  }
  return DECIMAL.test(text) ? Number(text) : text;
}

/**
 * --param values: "name=value" by name, "value" by position, "=value" by position (the '=' dropped).
 * `asText[i]`: the i-th came from --param-text and is bound as text whatever it looks like.
 */
export function parseParams(given: readonly string[], asText: readonly boolean[], dialect: SqlDialect): Params {
  const params: Params = { positional: [], named: {} };
  given.forEach((param, i) => {
    const bind = (text: string) => (dialect.numberParams && !asText[i] ? numberOrText(text) : text);
    const match = NAMED.exec(param);
    if (match === null) {
      params.positional.push(bind(param.startsWith('=') ? param.slice(1) : param));
      return;
    }
    if (!dialect.named) {
      const flag = asText[i] ? '--param-text' : '--param';
      throw new UsageError(`${flag} ${match[1]}=…: this database binds parameters by position only ($1, ?): give ${flag} VALUE`);
    }
    params.named[match[1]] = bind(match[2]);
  });
  return params;
}

/**
 * `schema.table` split on dots outside double quotes (or backticks): `"my.table"` is one name,
 * `"a""b"` holds a quote.
 */
export function tableNameParts(name: string): string[] {
  const parts: string[] = [];
  let at = 0;
  while (at <= name.length) {
    const open = name[at];
    let part = '';
    if (open === '"' || open === '`') {
      let end = at + 1;
      for (;;) {
        const close = name.indexOf(open, end);
        if (close < 0) throw new UsageError(`--table ${name}: unbalanced ${open}`);
        part += name.slice(end, close);
        if (name[close + 1] === open) {
          part += open;
          end = close + 2;
          continue;
        }
        at = close + 1;
        break;
      }
      if (at < name.length && name[at] !== '.') throw new UsageError(`--table ${name}: expected a dot after ${open}${part}${open}`);
    } else {
      const dot = name.indexOf('.', at);
      part = name.slice(at, dot < 0 ? name.length : dot);
      at = dot < 0 ? name.length : dot;
    }
    if (part === '') throw new UsageError(`--table ${JSON.stringify(name)}: an empty name`);
    parts.push(part);
    at++;
  }
  return parts;
}

export function quoteTable(name: string, dialect: Pick<SqlDialect, 'quote'>): string {
  return tableNameParts(name).map(dialect.quote).join('.');
}

export interface Select {
  sql: string;
  /** Positional values, in placeholder order. */
  values: unknown[];
  named: Record<string, unknown>;
}

/** Throws UsageError for table-only flags given with --query, or neither --table nor --query. */
export function checkSelection(args: ExportArgs, database: string): void {
  if (args.table === null && args.query === null) throw new UsageError(`${database} source needs --table NAME or --query SQL`);
  if (args.query !== null) {
    const flags = [['--where', args.where], ['--columns', args.columns], ['--order-by', args.orderBy], ['--limit', args.limit]] as const;
    const given = flags.filter(([, v]) => v !== null).map(([f]) => f);
    if (given.length > 0) throw new UsageError(`${given.join(', ')} apply to --table; with --query, write it in the SQL`);
  }
}

/** The statement that reads what the flags ask for. `keyOrder`: ORDER BY this when no --order-by. */
export function selectOf(args: ExportArgs, dialect: SqlDialect, keyOrder: string | null = null): Select {
  const params = parseParams(args.params, args.paramsAsText, dialect);
  if (args.query !== null) return { sql: args.query, values: params.positional, named: params.named };
  const columns = args.columns === null ? '*' : args.columns.map((c) => dialect.quote(c)).join(', ');
  let sql = `SELECT ${columns} FROM ${quoteTable(args.table as string, dialect)}`;
  const values: unknown[] = [...params.positional];
  if (args.where !== null) sql += ` WHERE (${args.where})`;
  const order = args.orderBy ?? keyOrder;
  if (order !== null) sql += ` ORDER BY ${order}`;
  if (args.limit !== null) {
    values.push(args.limit);
    sql += ` LIMIT ${dialect.placeholder(values.length)}`;
  }
  return { sql, values, named: params.named };
}

// Statements that change data, by their first word: refused before the read-only session would.
const WRITES = /^\s*(?:insert|update|delete|replace|merge|truncate|create|drop|alter|grant|revoke|copy|call|do|load|lock|set|rename|vacuum)\b/i;

/** Throws for a --query that is plainly a write (the session is read-only in any case). */
export function refuseWrites(query: string | null): void {
  if (query !== null && WRITES.test(query)) {
    throw new SourceError('the query must read rows (SELECT, VALUES, TABLE or WITH … SELECT): exports run in a read-only session');
  }
}
