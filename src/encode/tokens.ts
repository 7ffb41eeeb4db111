// Re-encodes a stream-json token stream as JSON text, one token at a time, in constant memory
// (only the nesting stack is kept). Numbers are copied with their original text.

import { JSONDumpError } from '../errors.js';
import { pathSegment } from '../path.js';
import { asciiOnly, quote, quoteAscii } from './escape.js';

/** A stream-json token: `{name: 'startObject'}`, `{name: 'stringValue', value: 'text'}`, … */
export interface Token {
  name: string;
  value?: unknown;
}

/** What the encoder needs to know about the output format. */
export interface TokenFormat {
  /** null: compact; otherwise the text of one indentation level ('' = newlines only). */
  indent: string | null;
  itemSep: string;
  keySep: string;
  ensureAscii: boolean;
  /** A top-level array becomes JSON Lines: each element on its own line, no brackets. */
  lines: boolean;
}

interface Frame {
  object: boolean;
  /** Members (or elements) started so far. */
  count: number;
  /** Objects: a key was written and its value has not started yet. */
  keyed: boolean;
  /** Objects: the current member's key, kept only to name the path in errors. */
  key: string;
  /** The top-level array of `lines` mode: no brackets, a newline after each element. */
  lines: boolean;
}

const PACKED_AFTER: Record<string, string> = { endKey: 'keyValue', endString: 'stringValue', endNumber: 'numberValue' };
const LITERALS: Record<string, string> = { nullValue: 'null', trueValue: 'true', falseValue: 'false' };
// Only the start of a streamed key is remembered: enough to recognise it in an error path.
const KEY_MEMORY = 256;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export class TokenEncoder {
  /** Text produced and not yet taken. */
  text = '';
  /** JSON values completed, at every depth. */
  values = 0;
  /** Elements of the top-level array completed (lines, in `lines` mode). */
  items = 0;

  private readonly stack: Frame[] = [];
  private readonly indents: string[] = [];
  private readonly quoteString: (s: string) => string;
  private topLevelValues = 0;
  /** The packed token that the parser sends after a streamed one and that repeats it. */
  private duplicate: string | null = null;
  private streaming: 'key' | 'string' | 'number' | null = null;
  /** A high surrogate that ended a string chunk: its low half comes with the next chunk. */
  private heldSurrogate = '';

  constructor(private readonly format: TokenFormat) {
    this.quoteString = format.ensureAscii ? quoteAscii : quote;
  }

  /** Returns the text produced so far and forgets it. */
  take(): string {
    const text = this.text;
    this.text = '';
    return text;
  }

  write(token: Token): void {
    const duplicate = this.duplicate;
    if (duplicate !== null) {
      this.duplicate = null;
      if (token.name === duplicate) return;
    }
    if (this.streaming !== null && token.name !== 'stringChunk' && token.name !== 'numberChunk') {
      this.endStreamed(token);
      return;
    }
    this.dispatch(token);
  }

  /** Throws unless the tokens so far formed complete JSON values. */
  finish(): void {
    if (this.streaming !== null || this.stack.length > 0) throw this.unexpected('end of tokens');
  }

  private dispatch(token: Token): void {
    switch (token.name) {
      case 'startObject':
        this.beginValue(token);
        this.text += '{';
        this.push(true, false);
        return;
      case 'startArray':
        this.beginValue(token);
        if (this.format.lines && this.stack.length === 0) return this.push(false, true);
        this.text += '[';
        return this.push(false, false);
      case 'endObject':
        return this.close(token, true, '}');
      case 'endArray':
        return this.close(token, false, ']');
      case 'keyValue':
        this.beginKey(token).key = String(token.value).slice(0, KEY_MEMORY);
        this.text += this.quoteString(String(token.value)) + this.format.keySep;
        return;
      case 'startKey':
        this.beginKey(token).key = '';
        this.text += '"';
        this.streaming = 'key';
        return;
      case 'stringValue':
        this.beginValue(token);
        this.text += this.quoteString(String(token.value));
        return this.endValue();
      case 'startString':
        this.beginValue(token);
        this.text += '"';
        this.streaming = 'string';
        return;
      case 'numberValue':
        this.beginValue(token);
        this.text += String(token.value);
        return this.endValue();
      case 'startNumber':
        this.beginValue(token);
        this.streaming = 'number';
        return;
      case 'stringChunk':
      case 'numberChunk':
        return this.chunk(token);
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.beginValue(token);
        this.text += LITERALS[token.name];
        return this.endValue();
      default:
        // whitespace, comments (JSONC) and other annotations carry no JSON value
        return;
    }
  }

  private chunk(token: Token): void {
    const value = String(token.value);
    if (this.streaming === 'number' && token.name === 'numberChunk') {
      this.text += value;
      return;
    }
    if (this.streaming === null || this.streaming === 'number' || token.name !== 'stringChunk') {
      throw this.unexpected(token.name);
    }
    if (this.streaming === 'key') {
      const frame = this.stack[this.stack.length - 1];
      if (frame.key.length < KEY_MEMORY) frame.key += value.slice(0, KEY_MEMORY);
    }
    let s = this.heldSurrogate + value;
    this.heldSurrogate = '';
    if (isHighSurrogate(s.charCodeAt(s.length - 1))) {
      this.heldSurrogate = s.charAt(s.length - 1);
      s = s.slice(0, -1);
    }
    if (s !== '') this.text += this.escapeInner(s);
  }

  private endStreamed(token: Token): void {
    const kind = this.streaming;
    const expected = kind === 'key' ? 'endKey' : kind === 'string' ? 'endString' : 'endNumber';
    if (token.name !== expected) throw this.unexpected(token.name);
    this.streaming = null;
    this.duplicate = PACKED_AFTER[expected];
    if (kind === 'number') return this.endValue();
    if (this.heldSurrogate !== '') {
      // a lone high surrogate at the very end: escaped, as JSON.stringify does
      this.text += this.escapeInner(this.heldSurrogate);
      this.heldSurrogate = '';
    }
    this.text += '"';
    if (kind === 'key') this.text += this.format.keySep;
    else this.endValue();
  }

  /** The escaped content of a string literal, without its quotes. */
  private escapeInner(s: string): string {
    const quoted = quote(s);
    const inner = quoted.slice(1, -1);
    return this.format.ensureAscii ? asciiOnly(inner) : inner;
  }

  private push(object: boolean, lines: boolean): void {
    this.stack.push({ object, count: 0, keyed: false, key: '', lines });
  }

  private beginKey(token: Token): Frame {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined || !frame.object || frame.keyed) throw this.unexpected(token.name);
    this.separate(frame);
    frame.keyed = true;
    return frame;
  }

  private beginValue(token: Token): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) {
      // several top-level values (stream-json's jsonStreaming): one per line
      if (this.topLevelValues++ > 0 && !this.format.lines) this.text += '\n';
      return;
    }
    if (frame.object) {
      if (!frame.keyed) throw this.unexpected(token.name);
      frame.keyed = false;
      return;
    }
    if (frame.lines) {
      frame.count++;
      return;
    }
    this.separate(frame);
  }

  private separate(frame: Frame): void {
    if (frame.count++ > 0) this.text += this.format.itemSep;
    if (this.format.indent !== null) this.text += this.newline(this.stack.length);
  }

  private endValue(): void {
    this.values++;
    const depth = this.stack.length;
    if (depth === 0) {
      if (this.format.lines) this.text += '\n';
      return;
    }
    const frame = this.stack[depth - 1];
    if (depth === 1 && !frame.object) this.items++;
    if (frame.lines) this.text += '\n';
  }

  private close(token: Token, object: boolean, bracket: string): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined || frame.object !== object || frame.keyed) throw this.unexpected(token.name);
    this.stack.pop();
    // the array of `lines` mode is not written: only its elements are values
    if (frame.lines) return;
    if (frame.count > 0 && this.format.indent !== null) this.text += this.newline(this.stack.length);
    this.text += bracket;
    this.endValue();
  }

  private newline(depth: number): string {
    const indents = this.indents;
    while (indents.length <= depth) indents.push('\n' + (this.format.indent ?? '').repeat(indents.length));
    return indents[depth];
  }

  private unexpected(what: string): JSONDumpError {
    return new JSONDumpError('ERR_UNSERIALIZABLE', `encodeTokens: unexpected ${what} in the token stream`, this.path());
  }

  private path(): string {
    let path = '$';
    for (const frame of this.stack) {
      if (frame.object) {
        if (frame.count === 0) break;
        path += pathSegment(frame.key);
      } else {
        if (frame.count === 0) break;
        path += pathSegment(frame.count - 1);
      }
    }
    return path;
  }
}
