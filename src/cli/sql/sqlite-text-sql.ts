// SQLite writing the records' text itself. Reading values into JavaScript is what an export's
// time goes to (better-sqlite3, 200k rows of integers, reals, text and blobs: 1.3 s of CPU to
// read them, where `sqlite3 -json` takes 1.25 s for its whole job), so where SQLite's own text of
// a value is exact, SQLite writes it: json_object() (json_array() for --arrays) writes integers,
// text and NULL exactly as JSON.stringify does (for text that is UTF-8), and a key range's
// records come as one BLOB of bytes, group_concat() of the rows, with no JavaScript value per row
// or per value. What SQLite cannot write exactly is left to JavaScript:
// - REAL: SQLite writes 15 significant digits (0.1 + 0.2 is 0.3 in the SQLite of better-sqlite3
//   12.6, 3.51.2) or 17 (5e-324 is 4.9406564584124654e-324 in the SQLite of Node 24), never the
//   shortest text that reads back as the same double: columns that may hold REALs (REAL and
//   NUMERIC affinity, no declared type) are "holes", read as values by a second statement over
//   the same rows and written by the row encoder;
// - BLOB: declared BLOB columns come as hex() in the text, written as --blob asks by the stitcher.
// SQLite's typing is per value: a column declared INTEGER may hold a REAL or a BLOB, one declared
// TEXT a BLOB (which json_object() would misread as JSONB), never a number. A row holding such a
// value has no text but a mark, and a key range with any is read as values instead.

/** How one value of a record is written, in the record template's order. */
export type TextSlot =
  /** Consecutive columns written by SQLite (template positions `from`…`to`, inclusive). */
  | { kind: 'run'; from: number; to: number }
  /** A column read as a value (its index among the holes statement's columns). */
  | { kind: 'hole'; at: number; hole: number }
  /** A declared BLOB column, in the text as hex (or 'n' for NULL). */
  | { kind: 'blob'; at: number };

export interface TextPlan {
  /** In template order; the text holds one segment per run or blob, each but the last followed by \x01. */
  slots: TextSlot[];
  /** The statement of the records' text: [text BLOB or NULL, rows, the last row's key]. */
  textSql: string;
  /** The statement of the holes' values, row by row; null when there are none. */
  holesSql: string | null;
}

/** The first byte of every row's text. */
export const ROW_MARK = 0x1e;
/** A row whose text SQLite could not write (it holds a value SQLite cannot write exactly). */
export const ODD_MARK = 0x1f;
/** The byte after each segment of a row's text but the last. */
export const SEGMENT_END = 0x01;

type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/** A declared type's affinity, by SQLite's rules (datatype3.html, 3.1); null for no declared type. */
export function affinityOf(type: string | null): Affinity | null {
  if (type === null || type === '') return null;
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB')) return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

const CTE = '"jsondump$rows"';
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The kind of slot a column of this declared type takes. */
function kindOf(type: string | null): TextSlot['kind'] {
  const affinity = affinityOf(type);
  if (affinity === 'INTEGER' || affinity === 'TEXT') return 'run';
  return affinity === 'BLOB' ? 'blob' : 'hole';
}

/** Slots of the columns in template order (`order[k]`: the column at template position k). */
function slotsOf(order: readonly number[], types: readonly (string | null)[]): { slots: TextSlot[]; holes: number[] } {
  const slots: TextSlot[] = [];
  const holes: number[] = [];
  order.forEach((column, k) => {
    const kind = kindOf(types[column]);
    const last = slots[slots.length - 1];
    if (kind === 'run' && last?.kind === 'run') last.to = k;
    else if (kind === 'run') slots.push({ kind, from: k, to: k });
    else if (kind === 'blob') slots.push({ kind, at: k });
    else slots.push({ kind, at: k, hole: holes.push(column) - 1 });
  });
  return { slots, holes };
}

/**
 * The plan of the statement `keyed`, which returns `columns` and then the key, in key order:
 * null when SQLite writes no value of it (every column is a hole).
 */
export function textPlan(
  keyed: string,
  columns: readonly string[],
  types: readonly (string | null)[],
  order: readonly number[],
  arrays: boolean,
): TextPlan | null {
  const { slots, holes } = slotsOf(order, types);
  if (slots.every((slot) => slot.kind === 'hole')) return null;
  const names = columns.map((_, i) => `c${i + 1}`);
  const cte = `WITH ${CTE}(${[...names, 'k'].join(', ')}) AS (\n${keyed}\n)`;
  const segments = slots.filter((slot) => slot.kind !== 'hole').map((slot) => segmentSql(slot, order, columns, types, names, arrays));
  const row = [`char(30) || ${segments[0]}`, ...segments.slice(1)].join(' || char(1) || ');
  return {
    slots,
    // the rows in the CTE's order: an aggregate over a subquery with ORDER BY reads it as a co-routine, in order
    // a row with no text is ODD_MARK: its text is named once, so that it is made once
    textSql: `${cte} SELECT CAST(group_concat(ifnull(${row}, char(31)), '') AS BLOB), count(*), max(k) FROM ${CTE}`,
    holesSql: holes.length === 0 ? null : `${cte} SELECT ${holes.map((column) => names[column]).join(', ')} FROM ${CTE}`,
  };
}

/**
 * The condition under which a value of a run's column has no exact text from json_object(): the
 * storage classes its affinity lets in that SQLite would write wrongly (datatype3.html, 3.0). A
 * TEXT column turns numbers into text on the way in (generated columns too), so only a BLOB can
 * be there; an INTEGER column keeps a REAL that is not a whole number, and a BLOB. Checking only
 * what can be there saves a comparison per value of every TEXT column.
 */
function oddValue(name: string, type: string | null): string {
  return affinityOf(type) === 'TEXT' ? `typeof(${name}) = 'blob'` : `typeof(${name}) IN ('real', 'blob')`;
}

function segmentSql(
  slot: TextSlot,
  order: readonly number[],
  columns: readonly string[],
  types: readonly (string | null)[],
  names: readonly string[],
  arrays: boolean,
): string {
  if (slot.kind === 'blob') {
    const name = names[order[slot.at]];
    return `CASE typeof(${name}) WHEN 'blob' THEN hex(${name}) WHEN 'null' THEN 'n' END`;
  }
  if (slot.kind !== 'run') throw new Error('a hole has no text');
  const at = order.slice(slot.from, slot.to + 1);
  // a REAL or a BLOB in a column declared otherwise: the row has no text
  const odd = at.map((column) => oddValue(names[column], types[column])).join(' OR ');
  const members = at.map((column) => (arrays ? names[column] : `${literal(columns[column])}, ${names[column]}`)).join(', ');
  return `iif(${odd}, NULL, ${arrays ? 'json_array' : 'json_object'}(${members}))`;
}

/** The statement that shows whether SQLite writes a record's keys and brackets as the template does: all values NULL. */
export function templateProbe(columns: readonly string[], order: readonly number[], arrays: boolean): string {
  const members = order.map((column) => (arrays ? 'NULL' : `${literal(columns[column])}, NULL`)).join(', ');
  return `SELECT ${arrays ? 'json_array' : 'json_object'}(${members})`;
}
