import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import parserStream from 'stream-json';
import { fileSize, type TokenSource } from './source.js';
import { textSourceKind } from './text-input.js';

/**
 * The previous .json source, as stream-json tokens: only for the export frame that still calls it
 * (jsonSource below replaces it). Its memory follows the largest string (packed values).
 */
export function openJson(path: string): TokenSource {
  const size = fileSize(path);
  const input = createReadStream(path);
  const tokens = pipeline(input, parserStream(), () => {});
  return {
    kind: 'tokens',
    tokens,
    done: () => (size > 0 ? input.bytesRead / size : null),
    close: async () => void tokens.destroy(),
  };
}

/** A .json document (or stdin / a file read with --from json), re-encoded record by record. */
export const jsonSource = textSourceKind('json');
