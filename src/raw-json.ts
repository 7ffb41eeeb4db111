import { JSONDumpError } from './errors.js';

/** Pre-serialized JSON text, written verbatim (e.g. a jsonb column or an exact numeric). */
export class RawJSON {
  readonly rawJSON: string;
  constructor(text: string) {
    this.rawJSON = text;
    Object.freeze(this);
  }
}

const EDGE_SPACE = /^[\t\n\r ]|[\t\n\r ]$/;

/** Marks `text`, which must be one valid JSON value, to be written verbatim. */
export function rawJSON(text: string): RawJSON {
  if (typeof text !== 'string') throw new JSONDumpError('ERR_BAD_OPTION', 'rawJSON() takes a string');
  // Like JSON.rawJSON: no surrounding white space, so the text is one token-exact value.
  let valid = !EDGE_SPACE.test(text);
  if (valid) {
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
  }
  if (!valid) throw new JSONDumpError('ERR_BAD_OPTION', `rawJSON() text is not one JSON value: ${text.slice(0, 40)}`);
  return new RawJSON(text);
}

const isNativeRaw = (JSON as { isRawJSON?: (v: unknown) => boolean }).isRawJSON;

/** The verbatim text of a RawJSON or of the runtime's own JSON.rawJSON object, else undefined. */
export function rawText(v: object): string | undefined {
  if (v instanceof RawJSON) return v.rawJSON;
  if (isNativeRaw !== undefined && isNativeRaw(v)) return (v as { rawJSON: string }).rawJSON;
  return undefined;
}
