// JSON text from a database column (json, jsonb, or a text column under --json-cols) parsed
// into values the library writes again with the output's options: objects as Maps (their key
// order kept, integer-like keys included; a repeated key keeps its last value, as JSON.parse
// and jsonb do), numbers as their exact text.
import { RawJSON } from '../../index.js';

const SKIP = /[ \t\n\r,]*/y; // commas too: the text is known to be valid, so they carry nothing
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\]|\\.)*"/y;

interface Nesting {
  value: unknown[] | Map<string, unknown>;
  /** Objects: the key whose value comes next, or null when a key comes next. */
  key: string | null;
}

/** A JSON value with its numbers exact, or undefined when `text` is not JSON. */
export function parseJson(text: string): unknown {
  try {
    JSON.parse(text); // validates: the walk below trusts the grammar
  } catch {
    return undefined;
  }
  return walk(text);
}

function match(re: RegExp, text: string, at: number): string {
  re.lastIndex = at;
  return (re.exec(text) as RegExpExecArray)[0];
}

function scalar(text: string, at: number): [unknown, number] {
  const c = text[at];
  if (c === '"') {
    const s = match(STRING, text, at);
    return [JSON.parse(s), s.length];
  }
  if (c === 't') return [true, 4];
  if (c === 'f') return [false, 5];
  if (c === 'n') return [null, 4];
  const n = match(NUMBER, text, at);
  return [new RawJSON(n), n.length];
}

/** Iterative, so that nesting depth is limited by memory, not by the call stack. */
function walk(text: string): unknown {
  const stack: Nesting[] = [];
  let at = 0;
  let result: unknown;
  /** Adds `value` where it belongs; true once it is the whole document. */
  const add = (value: unknown): boolean => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = value;
      return true;
    }
    if (Array.isArray(top.value)) top.value.push(value);
    else {
      top.value.set(top.key as string, value);
      top.key = null;
    }
    return false;
  };
  for (;;) {
    at += match(SKIP, text, at).length;
    const top = stack[stack.length - 1];
    const c = text[at];
    if (top !== undefined && top.key === null && !Array.isArray(top.value)) {
      if (c === '}') {
        stack.pop();
        at++;
        if (add(top.value)) return result;
        continue;
      }
      const key = match(STRING, text, at);
      top.key = JSON.parse(key) as string;
      at += key.length;
      at += match(SKIP, text, at).length + 1; // the ':'
      continue;
    }
    if (c === ']') {
      stack.pop();
      at++;
      if (add((top as Nesting).value)) return result;
    } else if (c === '{' || c === '[') {
      stack.push({ value: c === '{' ? new Map() : [], key: null });
      at++;
    } else {
      const [value, length] = scalar(text, at);
      at += length;
      if (add(value)) return result;
    }
  }
}

/** Whether a text column's value is worth trying as JSON under --json-cols (sqlite-utils' rule). */
export function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}
