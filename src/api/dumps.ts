import { JSONDumpError } from '../errors.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { Walker } from '../walk/walker.js';

/** The whole JSON text of `value` at once, like JSON.stringify / Python's json.dumps. */
export function dumps(value: unknown, options?: StringifyOptions): string {
  const o = resolveOptions(options);
  if (o.signal?.aborted) throw new JSONDumpError('ERR_ABORTED', 'the dump was aborted', '$', { cause: o.signal.reason });
  const w = new Walker(value, o, { async: false, chunkSize: Infinity });
  w.step();
  return w.take();
}
