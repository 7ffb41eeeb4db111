import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { rawJSON } from '../../index.js';
import { SourceError, fileSize, type RecordSource } from './source.js';
import { textSourceKind } from './text-input.js';

/** Lines of a text stream, split as they arrive (a line may span many chunks). */
export async function* linesOf(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      rest += chunk;
      continue;
    }
    yield rest + chunk.slice(0, nl);
    let start = nl + 1;
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      yield chunk.slice(start, nl);
      start = nl + 1;
    }
    rest = chunk.slice(start);
  }
  if (rest !== '') yield rest;
}

// A run of 16 digits (dots allowed) is the only way a number can hold more than a double keeps.
const LONG_NUMBER = /\d[\d.]{15}/;
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
// Stands in for an exact number during JSON.parse; a string value spelled exactly like this would be misread.
const MARK = '\u0000jsondump-number:';

function significantDigits(number: string): number {
  const mantissa = number.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

function losesPrecision(number: string): boolean {
  if (/^-?\d+$/.test(number)) return !Number.isSafeInteger(Number(number));
  return significantDigits(number) > 15;
}

/** JSON.parse, except that numbers a double cannot hold exactly keep their text (as raw JSON). */
export function parseExact(text: string): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text);
  const exact: string[] = [];
  const marked = text.replace(STRING_OR_NUMBER, (token) => {
    if (token.charCodeAt(0) === 34 /* " */ || !losesPrecision(token)) return token;
    exact.push(token);
    return JSON.stringify(MARK + (exact.length - 1));
  });
  if (exact.length === 0) return JSON.parse(text);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? rawJSON(exact[Number(value.slice(MARK.length))]) : value,
  );
}

async function* recordsOf(input: Readable, name: string): AsyncGenerator<unknown> {
  let lineNumber = 0;
  for await (const line of linesOf(input)) {
    lineNumber++;
    if (line.trim() === '') continue;
    try {
      yield parseExact(line);
    } catch (error) {
      if (error instanceof SyntaxError) throw new SourceError(`${name}:${lineNumber}: ${error.message}`);
      throw error;
    }
  }
}

/**
 * The previous JSON Lines source (JSON.parse per line, a marker for long numbers): only for the
 * export frame that still calls it; jsonLinesSource below replaces it and keeps every number's text.
 */
export function openJsonLines(path: string): RecordSource {
  const name = path === '-' ? 'stdin' : path;
  let input: Readable = process.stdin;
  let size = 0;
  if (path !== '-') {
    size = fileSize(path);
    input = createReadStream(path);
  }
  const file = input as Readable & { bytesRead?: number };
  return {
    kind: 'records',
    records: recordsOf(input, name),
    done: () => (size > 0 && file.bytesRead !== undefined ? file.bytesRead / size : null),
    close: async () => void input.destroy(),
  };
}

/** JSON Lines from a .jsonl / .ndjson file or stdin, re-encoded record by record. */
export const jsonLinesSource = textSourceKind('jsonl');
