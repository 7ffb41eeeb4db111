// Whether a string is well-formed UTF-16 (no lone surrogate): RFC 8785 output refuses the
// others, since their text cannot be encoded as UTF-8.

const native = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `s` has no lone surrogate (String#isWellFormed where the runtime has it). */
export const isWellFormed: (s: string) => boolean =
  native !== undefined ? (s) => native.call(s) : (s) => !LONE_SURROGATE.test(s);
