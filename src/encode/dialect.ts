// The dialect's rules, resolved once from the options into small functions and flags, as
// CPython's json/encoder.py resolves `floatstr` and its string encoder before it encodes
// anything: number text (for values and for Map keys), string escaping, key order, and what
// the dialect refuses to write. The walker, the plain check, the writer and the Map key
// coercion all ask this object; none of them looks at `dialect: 'python'` again.
//
// A new text option (escapeHTML, a bigint mode, canonical output…) changes one of these
// functions here, and every stage follows.

import { NonFinite, type Resolved } from '../options.js';
import { compose, embedEscape } from './embed-escape.js';
import { asciiOnly, minQuotedLength, quote, quoteAscii } from './escape.js';
import { byCodePoints, byCodeUnits } from './key-order.js';
import { byKeyText, byPythonKey, type KeyProblem, type MapMember } from './member-order.js';
import { jsNumber, nonFiniteLiteral, pyNumber } from './number.js';

/** Which numbers V8's native JSON.stringify writes exactly as the dialect does. */
export const enum NativeNumbers {
  /** Any number: the 'js' dialect writing NaN/±Infinity as null, as JSON.stringify does. */
  Any,
  /** Finite numbers only ('js' with allowNaN given). */
  Finite,
  /** Safe integers and fractions in [1e-4, 1e16): where Python's repr() agrees with JS. */
  Python,
}

export interface Dialect {
  /** Text of a number written as a value; null when the dialect refuses it (allowNaN: false). */
  readonly number: (n: number) => string | null;
  /** Text of a number used as a Map key; null when refused. NaN/±Infinity keys are never `null`. */
  readonly numberKey: (n: number) => string | null;
  /** Text of a bigint written as a value; null when the dialect refuses it (canonical, past 2^53). */
  readonly bigint: (n: bigint) => string | null;
  /** The JSON string literal of `s`. */
  readonly quote: (s: string) => string;
  /** A lower bound of quote(s).length, found without building it. */
  readonly quotedLength: (s: string) => number;
  /** Rewrites JSON text written elsewhere (native JSON.stringify, rawJSON) to this escaping; null: none needed. */
  readonly escapeText: ((jsonText: string) => string) | null;
  /** sortKeys: sorts object keys in place into the dialect's order; null when members keep their order. */
  readonly orderKeys: ((keys: string[]) => string[]) | null;
  /** sortKeys for Map members (Python orders them by the original key); null: insertion order. */
  readonly orderMembers: ((members: MapMember[]) => MapMember[] | KeyProblem) | null;
  /** With an allow-list (a replacer array): the keys written, in the order written. */
  readonly keyList: string[] | null;
  /** Map keys of other types are skipped instead of refused. */
  readonly skipKeys: boolean;
  /** Which numbers a plain subtree may hold for native JSON.stringify to write it. */
  readonly nativeNumbers: NativeNumbers;
  /** Functions and symbols are refused (Python's TypeError) instead of dropped (JSON.stringify). */
  readonly refusesFunctions: boolean;
  /** Class instances without toJSON are refused instead of written as objects. */
  readonly refusesInstances: boolean;
  /**
   * Canonical output (RFC 8785): strings and keys holding a lone surrogate are refused,
   * non-finite numbers are ERR_UNSERIALIZABLE, rawJSON text is parsed and written canonically.
   */
  readonly canonical: boolean;
}

function numberRule(finite: (n: number) => string, nonFinite: NonFinite): (n: number) => string | null {
  switch (nonFinite) {
    case NonFinite.Null:
      return (n) => (n - n === 0 ? finite(n) : 'null');
    case NonFinite.Literal:
      return (n) => (n - n === 0 ? finite(n) : nonFiniteLiteral(n));
    default:
      return (n) => (n - n === 0 ? finite(n) : null);
  }
}

function keyRule(finite: (n: number) => string, nonFinite: NonFinite): (n: number) => string | null {
  // Python writes float keys NaN/Infinity as their literal text (in quotes), never as null.
  return nonFinite === NonFinite.Error ? (n) => (n - n === 0 ? finite(n) : null) : (n) => (n - n === 0 ? finite(n) : nonFiniteLiteral(n));
}

const bigintDigits = (n: bigint): string => n.toString();
const bigintString = (n: bigint): string => '"' + n.toString() + '"';
const EXACT = 2n ** 53n;
/** RFC 8785 numbers are IEEE doubles: a bigint past 2^53 has no exact canonical number text. */
const bigintExact = (n: bigint): string | null => (n <= EXACT && n >= -EXACT ? n.toString() : null);

function bigintRule(o: Resolved): (n: bigint) => string | null {
  if (o.bigintString) return bigintString;
  return o.canonical ? bigintExact : bigintDigits;
}

/** JSON.stringify's string literal, then the ensureAscii and embedding escapes asked for. */
function quoteRule(o: Resolved, embed: ((text: string) => string) | null): (s: string) => string {
  const base = o.ensureAscii ? quoteAscii : quote;
  return embed === null ? base : (s) => embed(base(s));
}

/** The rules of the dialect and text options in `o`. */
export function dialectOf(o: Resolved): Dialect {
  const finite = o.python ? pyNumber : jsNumber;
  const orderKeys = !o.sortKeys ? null : o.python ? byCodePoints : byCodeUnits;
  const embed = embedEscape(o.escapeHTML, o.escapeLineTerminators);
  return {
    number: numberRule(finite, o.nonFinite),
    // A canonical Map key is a string like any other: NaN and Infinity keep their text.
    numberKey: keyRule(finite, o.canonical ? NonFinite.Null : o.nonFinite),
    bigint: bigintRule(o),
    quote: quoteRule(o, embed),
    quotedLength: o.ensureAscii ? (s) => minQuotedLength(s, true) : (s) => s.length + 2,
    escapeText: compose(o.ensureAscii ? asciiOnly : null, embed),
    orderKeys,
    orderMembers: !o.sortKeys ? null : o.python ? byPythonKey : byKeyText,
    keyList: o.allowList === null ? null : orderKeys === null ? o.allowList : orderKeys(o.allowList.slice()),
    skipKeys: o.skipKeys,
    nativeNumbers: o.python ? NativeNumbers.Python : o.nonFinite === NonFinite.Null ? NativeNumbers.Any : NativeNumbers.Finite,
    refusesFunctions: o.python,
    refusesInstances: o.python,
    canonical: o.canonical,
  };
}
