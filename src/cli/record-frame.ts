// The text around and between records, and records serialized in their place, taken from the
// library itself: a record written here is byte for byte what `dump(records)` or
// `dumpLines(records)` writes for it, whatever the indent and separators.
import { JSONDumpError, dumps, type DumpOptions } from '../index.js';

export interface RecordFrame {
  /** JSON Lines: every record is followed by a newline. */
  readonly lines: boolean;
  /** Before the first record: `[` and the first line's indentation; '' for JSON Lines. */
  readonly open: string;
  /** Between two records: the item separator and the next line's indentation, or '\n'. */
  readonly separator: string;
  /** After the last record: `]` (on its own line when indenting), or '\n' for JSON Lines. */
  readonly close: string;
  /** A document of no record (`[]`; nothing for JSON Lines). */
  readonly empty: string;
  /** Records `first`, `first + 1`, … laid out in their place, separators between them. */
  records(values: unknown[], first: number): string;
  /** One record laid out in its place (without separators). */
  record(value: unknown, index: number): string;
  /** The one value of a `single` source, as a whole document. */
  document(value: unknown): string;
}

/** The library's error, pointing at the record's position in the whole output (`$[12345].a`). */
function atRecord(error: unknown, shift: (path: string) => string): unknown {
  if (!(error instanceof JSONDumpError)) return error;
  const suffix = ` at ${error.path}`;
  const message = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  return new JSONDumpError(error.code, message, shift(error.path), { cause: error.cause });
}

function serialize(value: unknown, options: DumpOptions, shift: (path: string) => string): string {
  try {
    return dumps(value, options);
  } catch (error) {
    throw atRecord(error, shift);
  }
}

/** `$[i]…` → `$[first + i]…`. */
const shiftBy = (first: number) => (path: string) => path.replace(/^\$\[(\d+)\]/, (_, i: string) => `$[${first + Number(i)}]`);
/** `$…` → `$[index]…`. */
const under = (index: number) => (path: string) => `$[${index}]${path.slice(1)}`;

function arrayFrame(options: DumpOptions): RecordFrame {
  // One and two nulls show where an element starts and ends, and what lies between two
  const one = dumps([null], options);
  const two = dumps([null, null], options);
  const start = one.indexOf('null');
  const open = one.slice(0, start);
  const close = one.slice(start + 4);
  const separator = two.slice(start + 4, two.length - close.length - 4);
  return {
    lines: false,
    open,
    separator,
    close,
    empty: dumps([], options),
    records: (values, first) => serialize(values, options, shiftBy(first)).slice(open.length, -close.length),
    record: (value, index) => serialize([value], options, shiftBy(index)).slice(open.length, -close.length),
    document: (value) => serialize(value, options, (path) => path),
  };
}

function linesFrame(options: DumpOptions): RecordFrame {
  dumps(null, options); // bad options fail now
  return {
    lines: true,
    open: '',
    separator: '\n',
    close: '\n',
    empty: '',
    records: (values, first) => values.map((value, i) => serialize(value, options, under(first + i))).join('\n'),
    record: (value, index) => serialize(value, options, under(index)),
    document: (value) => serialize(value, options, (path) => path),
  };
}

/** The frame of a JSON array of records, or of JSON Lines; bad options fail here, before any output. */
export function recordFrame(options: DumpOptions, lines: boolean): RecordFrame {
  return lines ? linesFrame(options) : arrayFrame(options);
}
