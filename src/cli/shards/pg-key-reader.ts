// The key of a PostgreSQL table for a plan, and its distribution, read in one REPEATABLE READ
// transaction (or in the snapshot --snapshot names). The key is --key's columns, or the table's
// primary key; its columns must be of a type whose text reads back as the same value in the
// same order (PG_KEY_TYPES). Boundaries are read as text: integers as digits, the rest as the
// type writes them in the session's settings (DateStyle ISO, TimeZone UTC).
import { SourceError, UsageError, messageOf } from '../errors.js';
import type { ExportArgs } from '../export-args.js';
import { loadDriver } from '../sql/load-driver.js';
import { parseParams, quoteTable } from '../sql/select.js';
import { joinSnapshot } from '../jobs/pg-ranges.js';
import { pgTarget, redact } from '../sources/pg-connect.js';
import { PG, SESSION } from '../sources/postgres.js';
import { keyOrder, PG_KEY_TYPES, POSTGRES_KEY } from './key-sql.js';
import { uniqueBy, type KeyReader } from './key-reader.js';
import type { KeyColumn, KeyTuple } from './plan-file.js';

interface Client {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; fields: { name: string }[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}

// int2, int4, int8: boundaries written as digits
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);

interface Attribute {
  name: string;
  type: string;
  nullable: boolean;
  attnum: number;
}

const ATTRIBUTE = `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type, NOT a.attnotnull AS nullable, a.attnum
  FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`;

async function attributes(client: Client, table: string): Promise<Attribute[]> {
  const { rows } = await client.query(ATTRIBUTE, [table]);
  return rows.map((r) => ({ name: String(r.name), type: String(r.type), nullable: r.nullable === true, attnum: Number(r.attnum) }));
}

/** The primary key's columns, in the key's order, or --key's. */
async function keyAttributes(client: Client, table: string, name: string, keyNames: string[] | null, columns: Attribute[]): Promise<Attribute[]> {
  if (keyNames !== null) {
    return keyNames.map((key) => {
      const column = columns.find((c) => c.name === key);
      if (column === undefined) throw new UsageError(`--key ${key}: ${name} has no such column (names are case-sensitive, as quoted)`);
      return column;
    });
  }
  const { rows } = await client.query(`SELECT k.attnum FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
    WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.n`, [table]);
  if (rows.length === 0) throw new UsageError(`${name} has no primary key: give --key COLUMN (or several, a,b) to cut it by`);
  return rows.map((r) => columns.find((c) => c.attnum === Number(r.attnum)) as Attribute);
}

/** Whether a unique index (not partial, no expression) among the key's columns makes it unique. */
async function isUnique(client: Client, table: string, key: Attribute[]): Promise<boolean> {
  const { rows } = await client.query(`SELECT (i.indkey::int2[])[0:i.indnkeyatts - 1] AS columns FROM pg_index i
    WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL`, [table]);
  const byNumber = new Map(key.map((c) => [c.attnum, c.name]));
  return rows.some((r) => uniqueBy((r.columns as number[]).map((n) => byNumber.get(n) ?? null), key.map((c) => ({ ...c }))));
}

function checkType(column: Attribute): KeyColumn {
  if (PG_KEY_TYPES[column.type] === undefined) {
    throw new UsageError(`the key column ${column.name} is of type ${column.type}: jsondump cuts PostgreSQL keys of ${Object.keys(PG_KEY_TYPES).join(', ')}`);
  }
  return { name: column.name, type: column.type, nullable: column.nullable };
}

class PgKeyReader implements KeyReader {
  constructor(
    private readonly client: Client,
    private readonly from: string,
    private readonly where: string | null,
    private readonly values: unknown[],
    readonly key: KeyColumn[],
    readonly unique: boolean,
    private readonly fail: (error: unknown) => never,
    readonly columns: string[],
  ) {}

  private filter(condition: string): string {
    return this.where === null ? condition : `(${this.where}) AND (${condition})`;
  }

  async count(condition: string): Promise<number> {
    const result = await this.client.query(`SELECT count(*)::text AS n FROM ${this.from} WHERE ${this.filter(condition)}`, this.values).catch(this.fail);
    return Number(result.rows[0].n);
  }

  async keyAt(condition: string, offset: number): Promise<KeyTuple | null> {
    const values = this.key.map((c, i) => `${PG.quote(c.name)}::text AS k${i}`).join(', ');
    const sql = `SELECT ${values} FROM ${this.from} WHERE ${this.filter(condition)} ORDER BY ${keyOrder(this.key, POSTGRES_KEY)} LIMIT 1 OFFSET ${offset}`;
    const { rows } = await this.client.query(sql, this.values).catch(this.fail);
    if (rows.length === 0) return null;
    return this.key.map((c, i) => (INTEGER_TYPES.has(c.type) ? { integer: String(rows[0][`k${i}`]) } : { text: String(rows[0][`k${i}`]) }));
  }

  async close(): Promise<void> {
    await this.client.query('COMMIT').catch(() => {});
    await this.client.end().catch(() => {});
  }
}

/** Connects, begins a read-only snapshot (--snapshot's, when given), and finds the key. */
export async function pgKeyReader(source: string, args: ExportArgs, keyNames: string[] | null, snapshot: string | null): Promise<KeyReader> {
  const target = pgTarget(source);
  const { default: pg } = await loadDriver('pg', 'a PostgreSQL source', () => import('pg'));
  const client = new pg.Client(target.config) as unknown as Client;
  client.on('error', () => {});
  const fail = (prefix: string) => (error: unknown): never => {
    if (error instanceof SourceError || error instanceof UsageError) throw error;
    throw new SourceError(`${prefix}${redact(messageOf(error), target.secrets)}`);
  };
  try {
    await client.connect().catch(fail(`cannot connect to ${target.name}: `));
    await client.query(SESSION).catch(fail(`cannot connect to ${target.name}: `));
    if (snapshot === null) await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    else await joinSnapshot(client, snapshot).catch(fail(`cannot read in the snapshot ${snapshot} (the transaction that exported it must still be open): `));
    const table = args.table as string;
    const from = quoteTable(table, PG);
    const found = await client.query('SELECT to_regclass($1) AS t', [from]).catch(fail('SQL error: '));
    if (found.rows[0].t === null) throw new SourceError(`no such table: ${table}`);
    const values = parseParams(args.params, args.paramsAsText, PG).positional;
    // the selection as the shards run it, prepared once here so that an error shows now
    const selected = args.columns === null ? '*' : args.columns.map(PG.quote).join(', ');
    const selection = await client.query(`SELECT ${selected} FROM ${from}${args.where === null ? '' : ` WHERE (${args.where})`} LIMIT 0`, values).catch(fail('SQL error: '));
    const columns = await attributes(client, from);
    const key = await keyAttributes(client, from, table, keyNames, columns);
    const unique = await isUnique(client, from, key);
    return new PgKeyReader(client, from, args.where, values, key.map(checkType), unique, fail('SQL error: '), selection.fields.map((f) => f.name));
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}
