// What a PostgreSQL column's type holds, as far as writing its values goes: float4 and float8
// (numbers of the output's dialect), int8 (an integer --bigint applies to), seen through
// domains, inside arrays and composite types, at any depth. Read from the catalog once per type
// a result uses; built-in types need no query. And how a type's binary value is written, when
// it can be (rows/pg-binary.ts): a scalar with a writer, an enum (its label), an array of such.
import { BINARY_SCALARS, OIDS, type BinaryType } from '../rows/pg-binary.js';

export type PgShape =
  | { kind: 'float' }
  | { kind: 'int8' }
  | { kind: 'array'; element: PgShape }
  | { kind: 'composite'; fields: [string, PgShape][] }
  /** Nothing inside needs converting. */
  | { kind: 'other' };

interface CatalogClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const OTHER: PgShape = { kind: 'other' };
const FLOAT: PgShape = { kind: 'float' };
const INT8: PgShape = { kind: 'int8' };

/** Built-in types, by OID: the floats, int8 and their arrays; below FIRST_NORMAL_OBJECT_ID every other type holds neither. */
const BUILT_IN = new Map<number, PgShape>([
  [20, INT8], [700, FLOAT], [701, FLOAT],
  [1016, { kind: 'array', element: INT8 }], [1021, { kind: 'array', element: FLOAT }], [1022, { kind: 'array', element: FLOAT }],
]);
// PostgreSQL's first OID for objects made after initdb: built-in types have smaller ones
const FIRST_NORMAL_OBJECT_ID = 16384;

/** Whether anything inside `shape` needs converting. */
function matters(shape: PgShape): boolean {
  return shape.kind !== 'other';
}

export class PgTypes {
  private readonly shapes = new Map<number, Promise<PgShape>>();
  private readonly binaries = new Map<number, Promise<BinaryType | null>>();

  constructor(private readonly client: CatalogClient) {}

  /** The shape of type `oid` (domains resolved, arrays and composites looked into). */
  shape(oid: number): Promise<PgShape> {
    const known = BUILT_IN.get(oid) ?? (oid < FIRST_NORMAL_OBJECT_ID ? OTHER : undefined);
    if (known !== undefined) return Promise.resolve(known);
    let shape = this.shapes.get(oid);
    if (shape === undefined) this.shapes.set(oid, (shape = this.read(oid)));
    return shape;
  }

  /** How values of type `oid` are written from their binary form (domains resolved), or null when they cannot be. */
  binary(oid: number): Promise<BinaryType | null> {
    if (BINARY_SCALARS.has(oid)) return Promise.resolve({ kind: 'scalar', oid });
    let type = this.binaries.get(oid);
    if (type === undefined) this.binaries.set(oid, (type = this.readBinary(oid)));
    return type;
  }

  private async readBinary(oid: number): Promise<BinaryType | null> {
    const { rows } = await this.client.query('SELECT typtype, typbasetype, typelem, typcategory FROM pg_type WHERE oid = $1', [oid]);
    const type = rows[0] as { typtype: string; typbasetype: number; typelem: number; typcategory: string } | undefined;
    if (type === undefined) return null;
    if (type.typtype === 'd') return this.binary(type.typbasetype);
    // an enum's binary value is its label's text
    if (type.typtype === 'e') return { kind: 'scalar', oid: OIDS.text };
    if (type.typcategory === 'A' && type.typelem !== 0) {
      const element = await this.binary(type.typelem);
      return element === null ? null : { kind: 'array', element };
    }
    return null;
  }

  private async read(oid: number): Promise<PgShape> {
    const { rows } = await this.client.query('SELECT typtype, typbasetype, typelem, typrelid, typcategory FROM pg_type WHERE oid = $1', [oid]);
    const type = rows[0] as { typtype: string; typbasetype: number; typelem: number; typrelid: number; typcategory: string } | undefined;
    if (type === undefined) return OTHER;
    if (type.typtype === 'd') return this.shape(type.typbasetype);
    if (type.typcategory === 'A' && type.typelem !== 0) {
      const element = await this.shape(type.typelem);
      return matters(element) ? { kind: 'array', element } : OTHER;
    }
    if (type.typtype === 'c') {
      const { rows: attributes } = await this.client.query(
        'SELECT attname, atttypid FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
        [type.typrelid],
      );
      const fields: [string, PgShape][] = [];
      for (const { attname, atttypid } of attributes as { attname: string; atttypid: number }[]) fields.push([attname, await this.shape(atttypid)]);
      return fields.some(([, shape]) => matters(shape)) ? { kind: 'composite', fields } : OTHER;
    }
    return OTHER;
  }
}
