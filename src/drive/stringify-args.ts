// The arguments of the text functions: an options object, or JSON.stringify's own
// `(replacer, space)`, so that switching from JSON.stringify is a change of import.

import type { DumpOptions, Replacer, StringifyOptions } from '../options.js';

/** JSON.stringify's second argument. */
export type StringifyReplacer = Replacer | readonly (string | number)[] | null | undefined;
/** JSON.stringify's third argument. */
export type StringifySpace = string | number | null | undefined;

/** The arguments after the value: `[options?]` or `[replacer, space?]`. */
export type StringifyArgs = [options?: StringifyOptions | null] | [replacer: StringifyReplacer, space?: StringifySpace];

/** The same for the functions that write or measure (after the destination, for dump and dumpSync). */
export type DumpArgs = [options?: DumpOptions | null] | [replacer: StringifyReplacer, space?: StringifySpace];

/** `v` is a Number or String object: JSON.stringify reads its primitive. */
function isBoxed(v: object, valueOf: () => unknown): boolean {
  try {
    valueOf.call(v);
    return true;
  } catch {
    return false;
  }
}

/** JSON.stringify's `gap`: numbers clamped to 10 spaces (below 1: none), strings cut to 10 characters. */
function gap(space: unknown): string {
  if (typeof space === 'object' && space !== null) {
    if (isBoxed(space, Number.prototype.valueOf)) space = Number(space);
    else if (isBoxed(space, String.prototype.valueOf)) space = String(space);
  }
  if (typeof space === 'number') {
    const n = Math.min(10, Math.trunc(space)); // NaN → compact, as ToIntegerOrInfinity makes it 0
    return n >= 1 ? ' '.repeat(n) : '';
  }
  return typeof space === 'string' ? space.slice(0, 10) : '';
}

/**
 * The options the arguments mean. A function, an array or null second argument, or any third
 * one, is JSON.stringify's form: a replacer that is neither function nor array is ignored and
 * `space` read as JSON.stringify reads it.
 */
export function stringifyOptions(args: StringifyArgs | DumpArgs | unknown[]): DumpOptions | undefined {
  const [first, space] = args;
  const positional = args.length >= 2 || first === null || typeof first === 'function' || Array.isArray(first);
  if (!positional) return first as DumpOptions | undefined;
  const indent = gap(space);
  return {
    replacer: typeof first === 'function' || Array.isArray(first) ? (first as Replacer | string[]) : null,
    indent: indent === '' ? null : indent,
  };
}
