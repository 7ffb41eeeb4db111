import { resolveOptions, type StringifyOptions } from '../options.js';
import { Walker } from '../walk/walker.js';

/** The whole JSON text of `value` at once, like JSON.stringify / Python's json.dumps. */
export function dumps(value: unknown, options?: StringifyOptions): string {
  const w = new Walker(value, resolveOptions(options), { async: false, chunkSize: Infinity });
  w.step();
  return w.out;
}
