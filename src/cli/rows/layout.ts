// Where the text of one value goes inside a record, learnt from the library itself: a record
// template whose values are marker numbers is serialized with the output's options and cut at
// the markers. Whatever the options do to keys, separators, indentation and key order, the
// pieces between values are the library's own.
import { dumps, type DumpOptions } from '../../index.js';
import type { RecordLayout } from '../records.js';

/** The pieces of a record's text: pieces[0] value[order[0]] pieces[1] … value[order[n-1]] pieces[n]. */
export interface RecordTemplate {
  pieces: string[];
  /** Column index of the k-th value written (sortKeys reorders). */
  order: number[];
  /** Nesting depth of the values: 2 inside an array element, 1 inside a JSON Lines record. */
  depth: number;
}

/** The options that decide how text looks; progress, signals and limits belong to the whole output. */
const TEXT_OPTIONS = [
  'indent', 'separators', 'sortKeys', 'ensureAscii', 'allowNaN', 'dialect',
  'escapeHTML', 'escapeLineTerminators', 'bigint', 'canonical',
] as const;

export function textOptions(options: DumpOptions): DumpOptions {
  const picked: Record<string, unknown> = {};
  for (const name of TEXT_OPTIONS) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked as DumpOptions;
}

/** `value` nested `depth` arrays deep. */
function wrap(value: unknown, depth: number): unknown {
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Marker numbers that appear exactly once each in `text`, in some order; null if any is ambiguous. */
function cut(text: string, marks: string[]): { pieces: string[]; order: number[] } | null {
  const found: { at: number; index: number }[] = [];
  for (let index = 0; index < marks.length; index++) {
    const at = text.indexOf(marks[index]);
    if (at < 0 || text.indexOf(marks[index], at + 1) >= 0) return null;
    found.push({ at, index });
  }
  found.sort((a, b) => a.at - b.at);
  const pieces: string[] = [];
  let from = 0;
  for (const { at, index } of found) {
    pieces.push(text.slice(from, at));
    from = at + marks[index].length;
  }
  pieces.push(text.slice(from));
  return { pieces, order: found.map((f) => f.index) };
}

/** Marker texts: numbers no key text is likely to hold; another base is tried if one is. */
function markers(count: number, attempt: number): string[] {
  const base = 7_301_993_457 + attempt * 1_000_003_917;
  return Array.from({ length: count }, (_, i) => String(base + i * 7919));
}

/**
 * The template of a record: an object of `columns` (or, with `arrays`, an array of values),
 * placed as the layout places a record.
 */
export function recordTemplate(columns: readonly string[], layout: RecordLayout, arrays: boolean): RecordTemplate {
  const options = textOptions(layout.options);
  const depth = layout.lines ? 0 : 1;
  for (let attempt = 0; attempt < 100; attempt++) {
    const marks = markers(columns.length, attempt);
    const values = marks.map(Number);
    const record = arrays ? values : new Map(columns.map((name, i) => [name, values[i]]));
    const found = cut(valueText(record, depth, options), marks);
    if (found !== null) return { ...found, depth: depth + 1 };
  }
  throw new Error('no record template: every marker collides with a column name');
}

/** The text of `value` as the library writes it `depth` levels deep (0: top level). */
export function valueText(value: unknown, depth: number, options: DumpOptions): string {
  if (depth === 0) return dumps(value, options);
  const text = dumps(wrap(value, depth), options);
  const [before, after] = frameOf(depth, options);
  return text.slice(before, text.length - after);
}

const frames = new WeakMap<DumpOptions, Map<number, [number, number]>>();

/** Lengths of the text around a value nested `depth` arrays deep. */
function frameOf(depth: number, options: DumpOptions): [number, number] {
  let byDepth = frames.get(options);
  if (byDepth === undefined) frames.set(options, (byDepth = new Map()));
  let frame = byDepth.get(depth);
  if (frame === undefined) {
    const text = dumps(wrap(null, depth), options);
    const at = text.indexOf('null');
    frame = [at, text.length - at - 4];
    byDepth.set(depth, frame);
  }
  return frame;
}

/** The record as text, from the template and each value's text (in column order). */
export function joinRecord(template: RecordTemplate, texts: readonly string[]): string {
  const { pieces, order } = template;
  let text = pieces[0];
  for (let k = 0; k < order.length; k++) text += texts[order[k]] + pieces[k + 1];
  return text;
}
