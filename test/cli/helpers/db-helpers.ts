// Shared by the database tests: JSON read back with every number as its exact text (through
// stream-json, not the code under test), and signals sent to a running CLI.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';
import { streamValues } from 'stream-json/streamers/stream-values.js';

/** Every top-level value of a JSON or JSON Lines text, numbers as their text. */
export async function exactValues(text: string): Promise<unknown[]> {
  const values: unknown[] = [];
  await pipeline(
    Readable.from([text]),
    parser.asStream({ jsonStreaming: true }),
    streamValues.asStream({ numberAsString: true }),
    new Writable({
      objectMode: true,
      write(item: { value: unknown }, _encoding, callback) {
        values.push(item.value);
        callback();
      },
    }),
  );
  return values;
}

/** The one JSON value of `text`, numbers as their text. */
export async function exactValue(text: string): Promise<unknown> {
  const [value] = await exactValues(text);
  return value;
}
