// Re-encodes a stream-json token stream as JSON text, one token at a time, in constant memory.
// The text is the writer's (encode/writer.ts), as for the walk; this module checks that the
// tokens come in an order that makes JSON and keeps the nesting stack, for error paths.
// Numbers are copied with their original text.

import { JSONDumpError } from '../errors.js';
import type { Resolved } from '../options.js';
import { pathSegment } from '../json-path.js';
import { dialectOf } from './dialect.js';
import { Writer } from './writer.js';

/** A stream-json token: `{name: 'startObject'}`, `{name: 'stringValue', value: 'text'}`, … */
export interface Token {
  name: string;
  value?: unknown;
}

/** The options, and `lines`: a top-level array becomes JSON Lines (each element on its own line, no brackets). */
export type TokenFormat = Resolved & { lines: boolean };

interface TokenFrame {
  object: boolean;
  /** Members (or elements) started so far. */
  count: number;
  /** Objects: a key was written and its value has not started yet. */
  keyed: boolean;
  /** Objects: the current member's key, kept only to name the path in errors. */
  key: string;
  /** The top-level array of `lines` mode: not written itself, its elements are the lines. */
  lines: boolean;
}

const PACKED_AFTER: Record<string, string> = { endKey: 'keyValue', endString: 'stringValue', endNumber: 'numberValue' };
const LITERALS: Record<string, string> = { nullValue: 'null', trueValue: 'true', falseValue: 'false' };
// Only the start of a streamed key is remembered: enough to recognise it in an error path.
const KEY_MEMORY = 256;

export class TokenEncoder {
  private readonly w: Writer;
  private readonly lines: boolean;
  private readonly stack: TokenFrame[] = [];
  /** The packed token that the parser sends after a streamed one and that repeats it. */
  private duplicate: string | null = null;
  private streaming: 'key' | 'string' | 'number' | null = null;
  private readonly maxDepth: number;
  /** A streamed key of a member deeper than maxDepth: gathered for the error's path, never written. */
  private keyTooDeep = false;

  constructor(format: TokenFormat) {
    this.lines = format.lines;
    this.maxDepth = format.maxDepth;
    // Tokens come one at a time: the text stays one string (no pieces to join on every token).
    this.w = new Writer(dialectOf(format), format, null, { records: format.lines, pieceMin: Infinity });
  }

  /** Text produced and not yet taken. */
  get text(): string {
    return this.w.text;
  }

  /** JSON values started, at every depth. */
  get values(): number {
    return this.w.values;
  }

  /** Elements of the top-level array started (lines, in `lines` mode). */
  get items(): number {
    return this.w.items;
  }

  /** Returns the text produced so far and forgets it. */
  take(): string {
    return this.w.take();
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
    this.w.end();
  }

  private dispatch(token: Token): void {
    const w = this.w;
    switch (token.name) {
      case 'startObject':
        this.beginValue(token);
        w.openObject();
        return this.push(true, false);
      case 'startArray':
        if (this.lines && this.stack.length === 0) return this.push(false, true);
        this.beginValue(token);
        w.openArray();
        return this.push(false, false);
      case 'endObject':
        return this.close(token, true);
      case 'endArray':
        return this.close(token, false);
      case 'keyValue':
        this.beginKey(token).key = String(token.value).slice(0, KEY_MEMORY);
        if (this.tooDeep()) throw this.depthError();
        return w.key(String(token.value));
      case 'startKey':
        this.beginKey(token).key = '';
        this.streaming = 'key';
        // The error waits for the whole key, to name it in the path; nothing of it is written.
        this.keyTooDeep = this.tooDeep();
        if (!this.keyTooDeep) w.openKey();
        return;
      case 'stringValue':
        this.beginValue(token);
        return w.string(String(token.value));
      case 'startString':
        this.beginValue(token);
        w.openString();
        this.streaming = 'string';
        return;
      case 'numberValue':
        this.beginValue(token);
        return w.literal(String(token.value));
      case 'startNumber':
        this.beginValue(token);
        w.literal('');
        this.streaming = 'number';
        return;
      case 'stringChunk':
      case 'numberChunk':
        return this.chunk(token);
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.beginValue(token);
        return w.literal(LITERALS[token.name]);
      default:
        // whitespace, comments (JSONC) and other annotations carry no JSON value
        return;
    }
  }

  private chunk(token: Token): void {
    const value = String(token.value);
    if (this.streaming === 'number' && token.name === 'numberChunk') return this.w.literalPart(value);
    if (this.streaming === null || this.streaming === 'number' || token.name !== 'stringChunk') {
      throw this.unexpected(token.name);
    }
    if (this.streaming === 'key') {
      const frame = this.stack[this.stack.length - 1];
      if (frame.key.length < KEY_MEMORY) frame.key += value.slice(0, KEY_MEMORY);
      if (this.keyTooDeep) return;
    }
    this.w.stringPart(value);
  }

  private endStreamed(token: Token): void {
    const kind = this.streaming;
    const expected = kind === 'key' ? 'endKey' : kind === 'string' ? 'endString' : 'endNumber';
    if (token.name !== expected) throw this.unexpected(token.name);
    this.streaming = null;
    this.duplicate = PACKED_AFTER[expected];
    if (kind === 'key' && this.keyTooDeep) throw this.depthError();
    if (kind === 'key') this.w.closeKey();
    else if (kind === 'string') this.w.closeString();
  }

  /**
   * A member of the innermost container is deeper than maxDepth: the root value is depth 0, and
   * so is each element of the array of `lines`.
   */
  private tooDeep(): boolean {
    return this.stack.length - (this.stack[0]?.lines === true ? 1 : 0) > this.maxDepth;
  }

  private depthError(): JSONDumpError {
    return new JSONDumpError('ERR_LIMIT', `nesting deeper than maxDepth (${this.maxDepth})`, this.path());
  }

  private push(object: boolean, lines: boolean): void {
    this.stack.push({ object, count: 0, keyed: false, key: '', lines });
  }

  private beginKey(token: Token): TokenFrame {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined || !frame.object || frame.keyed) throw this.unexpected(token.name);
    frame.count++;
    frame.keyed = true;
    return frame;
  }

  private beginValue(token: Token): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame !== undefined) {
      if (frame.object) {
        if (!frame.keyed) throw this.unexpected(token.name);
        frame.keyed = false;
        return; // the key started the member
      }
      frame.count++;
      if (this.tooDeep()) throw this.depthError();
    }
    // an element, or one of several top-level values (stream-json's jsonStreaming), one per line
    this.w.item();
  }

  private close(token: Token, object: boolean): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined || frame.object !== object || frame.keyed) throw this.unexpected(token.name);
    this.stack.pop();
    // the array of `lines` mode is not written: only its elements are
    if (!frame.lines) this.w.close();
  }

  private unexpected(what: string): JSONDumpError {
    return new JSONDumpError('ERR_UNSERIALIZABLE', `encodeTokens: unexpected ${what} in the token stream`, this.path());
  }

  private path(): string {
    let path = '$';
    for (const frame of this.stack) {
      if (frame.count === 0) break;
      path += pathSegment(frame.object ? frame.key : frame.count - 1);
    }
    return path;
  }
}
