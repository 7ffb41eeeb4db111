import { Transform } from 'node:stream';
import { JSONDumpError, badOption } from '../errors.js';
import { resolveOptions, type Resolved, type StringifyOptions } from '../options.js';
import { TokenEncoder, type Token } from '../encode/tokens.js';

/** Options of `encodeTokens`: the library's options, plus `lines`. */
export interface EncodeTokensOptions extends StringifyOptions {
  /** Write a top-level array as JSON Lines: each element compact on its own line. */
  lines?: boolean;
}

function resolve(options: EncodeTokensOptions | undefined): Resolved & { lines: boolean } {
  const { lines = false, ...rest } = options ?? {};
  if (typeof lines !== 'boolean') throw badOption('option lines must be a boolean');
  const resolved = resolveOptions(rest);
  // Canonical output sorts members and rewrites number text: neither is possible token by token.
  if (resolved.canonical) throw badOption('option canonical cannot be used with encodeTokens (it needs whole objects in memory)');
  // Sorting needs every member of an object at once, which a token stream never holds.
  if (resolved.sortKeys) throw badOption('option sortKeys cannot be used with encodeTokens (it needs whole objects in memory)');
  if (resolved.replacer !== null || resolved.allowList !== null) throw badOption('option replacer cannot be used with encodeTokens');
  if (lines && resolved.indent !== null) throw badOption('option indent cannot be used with lines');
  return { ...resolved, lines };
}

/**
 * A Transform from stream-json's token objects (writable side, object mode) to JSON text
 * (readable side, strings of about `chunkSize` characters). Numbers keep their original text.
 */
export function encodeTokens(options?: EncodeTokensOptions): Transform {
  const o = resolve(options);
  const encoder = new TokenEncoder(o);
  const counting = o.onProgress !== null || o.maxBytes !== Infinity;
  let bytes = 0;

  /** Pushes the text encoded so far; throws ERR_LIMIT, or what the caller's onProgress throws. */
  function emit(stream: Transform): void {
    const text = encoder.take();
    if (counting) {
      bytes += Buffer.byteLength(text);
      if (bytes > o.maxBytes) throw new JSONDumpError('ERR_LIMIT', `the output is longer than maxBytes (${o.maxBytes} bytes)`);
    }
    stream.push(text);
    o.onProgress?.({ bytes, values: encoder.values, items: encoder.items });
  }

  const stream = new Transform({
    writableObjectMode: true,
    encoding: 'utf8', // strings pushed stay strings: no Buffer round trip
    transform(token: Token, _encoding, callback) {
      try {
        encoder.write(token);
        if (encoder.text.length >= o.chunkSize) emit(this);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
    flush(callback) {
      try {
        encoder.finish();
        if (encoder.text.length > 0) emit(this);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
  });
  if (o.signal !== null) abortWith(o.signal, stream);
  return stream;
}

function abortWith(signal: AbortSignal, stream: Transform): void {
  const abort = () => stream.destroy(new JSONDumpError('ERR_ABORTED', 'encodeTokens was aborted'));
  if (signal.aborted) {
    process.nextTick(abort);
    return;
  }
  signal.addEventListener('abort', abort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', abort));
}
