import { SyncDriver } from '../drive/drive-sync.js';
import { stringifyOptions, type StringifyArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** JSON.stringify's own call: exactly `JSON.stringify(value, replacer, space)`'s text. */
export function dumps(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): string;
/** The whole JSON text of `value` at once, like JSON.stringify / Python's json.dumps. */
export function dumps(value: unknown, options?: StringifyOptions | null): string;
export function dumps(value: unknown, ...args: StringifyArgs): string {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  // One chunk, unless something must be checked between chunks: an abort from inside the walk
  // (a getter, toJSON, a generator), or the byte limit before the text grows past it.
  const whole = o.signal === null && o.maxBytes === Infinity;
  const driver = new SyncDriver(value, o, { chunkSize: whole ? Infinity : o.chunkSize });
  try {
    const first = driver.next();
    if (first === null) return '';
    let chunk = driver.next();
    if (chunk === null) return first.length === 1 ? first[0] : first.join('');
    const pieces = first;
    for (; chunk !== null; chunk = driver.next()) for (const p of chunk) pieces.push(p);
    return pieces.join('');
  } catch (err) {
    driver.abort();
    throw err;
  }
}
