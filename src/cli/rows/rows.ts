// Rows (arrays of column values, in column order) to the text of records, laid out as the
// output asks. Rows of plain values take V8's JSON.stringify on an object of fixed shape (the
// fast path, checked against the library's own text of the same template before it is used);
// any other row is joined from the template's pieces and each value's library text.
import type { RecordLayout } from '../records.js';
import { looksLikeJson, parseJson } from './json-text.js';
import { joinRecord, recordTemplate, textOptions, valueText, type RecordTemplate } from './layout.js';
import { ValueEncoder, type BlobFormat } from './values.js';
import { valueFailure } from './value-errors.js';
import { pythonFloatText } from './floats.js';

export interface RowShape {
  /** Column names, already unique. */
  columns: readonly string[];
  /** --arrays: each record an array of the values, in column order. */
  arrays: boolean;
  /** --json-cols: text values that hold a JSON object or array are embedded. */
  jsonCols: boolean;
  blob: BlobFormat;
  /** Every number in the rows is a float (an SQLite REAL: SQLite's integers come as bigint), written as a float in the python dialect. */
  floats?: boolean;
}

const MAX_SAFE = 9007199254740991n;

/** A record of `columns` as a JavaScript value JSON.stringify writes like the template; null if none. */
function nativeBuilder(shape: RowShape, layout: RecordLayout, template: RecordTemplate, encoder: ValueEncoder): ((row: unknown[]) => string) | null {
  if (!encoder.native) return null;
  const options = textOptions(layout.options) as { indent?: number | string | null; separators?: unknown };
  if (options.separators !== undefined) return null;
  const indent = options.indent ?? null;
  const space = typeof indent === 'number' ? (indent >= 1 && indent <= 10 ? ' '.repeat(indent) : null) : indent;
  if (indent !== null && (space === null || space === '' || space.length > 10 || space.includes('\n'))) return null;
  const body = shape.arrays
    ? `return [${template.order.map((i) => `r[${i}]`).join(',')}]`
    : `return {${template.order.map((i) => `${JSON.stringify(shape.columns[i])}: r[${i}]`).join(',')}}`;
  const build = new Function('r', body) as (row: unknown[]) => unknown;
  const nest = space === null || template.depth === 1 ? null : '\n' + space.repeat(template.depth - 1);
  const stringify =
    space === null
      ? (row: unknown[]) => JSON.stringify(build(row))
      : nest === null
        ? (row: unknown[]) => JSON.stringify(build(row), null, space)
        : (row: unknown[]) => JSON.stringify(build(row), null, space).replace(/\n/g, nest);
  // The check: the template's markers, written both ways, must give the same text.
  const marks = template.order.map((_, i) => 1e9 + i * 7919);
  const expected = joinRecord(template, marks.map(String));
  return stringify(marks) === expected ? stringify : null;
}

/** Turns rows into record texts; counts --json-cols values that were not JSON. */
export class RowEncoder {
  /** Text values --json-cols tried that were not JSON (written as strings). */
  notJson = 0;
  readonly template: RecordTemplate;
  readonly values: ValueEncoder;
  private readonly native: ((row: unknown[]) => string) | null;
  private readonly texts: string[];
  /** The text of a finite float, when the rows' numbers are floats and the dialect tells floats apart. */
  private readonly floatText: ((n: number) => string) | null;

  constructor(
    private readonly shape: RowShape,
    layout: RecordLayout,
  ) {
    this.template = recordTemplate(shape.columns, layout, shape.arrays);
    this.values = new ValueEncoder(layout.options, shape.blob, this.template.depth);
    this.native = nativeBuilder(shape, layout, this.template, this.values);
    this.texts = new Array<string>(shape.columns.length);
    this.floatText = shape.floats === true && layout.options.dialect === 'python' ? pythonFloatText : null;
  }

  /** The header record of --arrays: the column names. */
  header(): string {
    return valueText(this.shape.columns, this.template.depth - 1, this.values.options);
  }

  /** The record text of one row; `row` may be changed (safe bigints become numbers). */
  encode(row: unknown[]): string {
    if (this.native !== null && this.plain(row)) return this.native(row);
    const texts = this.texts;
    for (let i = 0; i < row.length; i++) texts[i] = this.columnText(row[i], i);
    return joinRecord(this.template, texts);
  }

  /** The text of the value of column `column` in its place (--json-cols and --blob applied); a ValueError if it has none. */
  columnText(value: unknown, column: number): string {
    try {
      if (this.floatText !== null && typeof value === 'number' && Number.isFinite(value)) return this.floatText(value);
      return this.values.text(this.embed(value));
    } catch (error) {
      throw valueFailure(error, this.shape.columns[column]);
    }
  }

  /** True when every value is one JSON.stringify writes as the library does; safe bigints made numbers. */
  private plain(row: unknown[]): boolean {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      switch (typeof v) {
        case 'bigint':
          if (v > MAX_SAFE || v < -MAX_SAFE) return false;
          row[i] = Number(v);
          break;
        case 'string':
          if (this.shape.jsonCols && looksLikeJson(v)) return false;
          break;
        case 'object':
          if (v !== null) return false;
          break;
      }
    }
    return true;
  }

  private embed(value: unknown): unknown {
    if (typeof value === 'bigint' && value <= MAX_SAFE && value >= -MAX_SAFE) return Number(value);
    if (!this.shape.jsonCols || typeof value !== 'string' || !looksLikeJson(value)) return value;
    const parsed = parseJson(value);
    if (parsed !== undefined) return parsed;
    this.notJson++;
    return value;
  }
}
