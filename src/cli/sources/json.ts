import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import parserStream from 'stream-json';
import { fileSize, type TokenSource } from './source.js';

/** A JSON document of any size as stream-json tokens (streamed and packed values both). */
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
