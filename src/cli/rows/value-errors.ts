// A column value the output cannot hold (a non-finite number with --no-allow-nan, an integer
// past 2^53 with --canonical, text that is not UTF-8) fails the export with one line naming
// its row and column. The encoder knows the column; whoever counts the rows adds the row.
import { JSONDumpError } from '../../index.js';
import { SourceError } from '../errors.js';

/** A value of `column` that cannot be written; `row` (1-based, in output order) once known. */
export class ValueError extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
    public row: number | null = null,
  ) {
    super(`column ${column}: ${reason}`);
  }
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column's name as messages show it: quoted when it holds anything but letters, digits and '_'. */
export function columnLabel(name: string): string {
  return PLAIN_NAME.test(name) ? name : JSON.stringify(name);
}

/** The library's refusal of a value in `column` as a ValueError, in the command line's words; other errors as they are. */
export function valueFailure(error: unknown, column: string): unknown {
  if (!(error instanceof JSONDumpError)) return error;
  // the value was written alone: the library's path ('at $') says nothing here
  const reason = error.message
    .replace(/ at \$\S*$/, '')
    .replace('(allowNaN: false)', '(--no-allow-nan)')
    .replace("bigint: 'string' writes", '--bigint string writes');
  return new ValueError(columnLabel(column), reason);
}

/** A ValueError placed at `row` (when it has no row yet); other errors as they are. */
export function atRow(error: unknown, row: number): unknown {
  if (error instanceof ValueError && error.row === null) error.row = row;
  return error;
}

/** A ValueError whose row counts from the first of a part: placed after the `before` rows written ahead of that part. */
export function afterRows(error: unknown, before: number): unknown {
  if (error instanceof ValueError && error.row !== null) error.row += before;
  return error;
}

/** A ValueError as the one line the command reports; other errors as they are. */
export function reportedValueError(error: unknown): unknown {
  if (!(error instanceof ValueError)) return error;
  return new SourceError(`${error.row === null ? '' : `row ${error.row}, `}${error.message}`);
}
