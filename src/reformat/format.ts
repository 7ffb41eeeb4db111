// What the re-encoder writes, resolved once from the options: the layout around values and the
// rules for strings. The encoder reads only this.

/** The input: one JSON document, or JSON Lines (one value per line). */
export type InputFormat = 'json' | 'jsonl';

/**
 * How the records (the elements of a top-level array, or the lines of JSON Lines input) are
 * written:
 * - `document`: one JSON text (JSON Lines input becomes an array);
 * - `lines`: each record compact on its own line, no brackets (JSON Lines output);
 * - `records`: each record laid out as an element of the top-level array, back to back with
 *   nothing between them, their ends noted (for a writer that adds brackets and separators).
 */
export type RecordOutput = 'document' | 'lines' | 'records';

export interface ReformatFormat {
  input: InputFormat;
  output: RecordOutput;
  /** null: compact; otherwise the text of one indentation level ('' = newlines only). */
  indent: string | null;
  itemSep: string;
  keySep: string;
  /** Escape every non-ASCII character and DEL as \uXXXX. */
  ensureAscii: boolean;
  /** Write <, > and & as \u003c, \u003e, \u0026. */
  escapeHTML: boolean;
  /** Write U+2028 and U+2029 as \u2028 and \u2029. */
  escapeLineTerminators: boolean;
  /**
   * The nesting depth the document is written at (0 when absent): a value that sits inside a
   * record (a database column's JSON) has its lines indented as deep as that place.
   */
  depth?: number;
}
