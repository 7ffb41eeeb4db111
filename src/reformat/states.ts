// The states of the re-encoder's byte machine, shared by its parts (encoder.ts: structure,
// numbers and literals; string-states.ts: strings and escapes; record-states.ts: records).

/** What the parser expects next. */
export const enum St {
  /** A value: the document's, a member's after ':', an element's after ','. */
  Value,
  /** After '[': an element or ']'. */
  FirstElement,
  /** JSON Lines input, between records: a record, a blank line or the end. */
  NextRecord,
  /** After '{': a key or '}'. */
  FirstKey,
  /** After ',' in an object: a key. */
  Key,
  Colon,
  /** After a value inside a container: ',' or the closing bracket (or, in JSON Lines, the end of the line). */
  After,
  /** After the document's value: only white space. */
  End,
  String,
  /** After a backslash in a string. */
  Escape,
  /** Reading the four hex digits of \uXXXX. */
  Unicode,
  /** After the \uXXXX of a high surrogate: a backslash may start its low half. */
  SurrogateBackslash,
  SurrogateU,
  Number,
  Literal,
}

/** Where a number is, digit by digit (the JSON grammar). */
export const enum Num {
  Minus,
  Zero,
  Int,
  Dot,
  Frac,
  Exp,
  ExpSign,
  ExpDigits,
}

/** The kind of an open container, in the nesting stack. */
export const OBJECT = 1;
export const ARRAY = 2;
