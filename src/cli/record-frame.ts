// The text around and between records, taken from the library itself: records framed with it
// are byte for byte what `dump(records)` or `dumpLines(records)` writes, whatever the indent
// and separators. (Each source lays out its records itself: see RecordBatch.)
import { dumps, type DumpOptions } from '../index.js';

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
}

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
  };
}

/** The frame of a JSON array of records, or of JSON Lines; bad options fail here, before any output. */
export function recordFrame(options: DumpOptions, lines: boolean): RecordFrame {
  return lines ? linesFrame(options) : arrayFrame(options);
}
