import { AsyncDriver } from '../drive/drive-async.js';
import { checkDestination, openSink, type Destination } from '../drive/destination.js';
import { pump } from '../drive/pump.js';
import { stringifyOptions, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { badOption } from '../errors.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** Options of dumpLines: every line is compact, so there is no `indent`. */
export type DumpLinesOptions = Omit<DumpOptions, 'indent'>;

/**
 * JSON.stringify's arguments after the destination: `replacer` is the option of that name; a
 * `space` that indents is refused, as `indent` is (every line is compact).
 */
export function dumpLines(records: unknown, destination: Destination, replacer: StringifyReplacer, space?: StringifySpace): Promise<DumpStats>;
/** Writes each record of an array or (async) iterable as one line of JSON (JSON Lines). */
export function dumpLines(records: unknown, destination: Destination, options?: DumpLinesOptions | null): Promise<DumpStats>;
export async function dumpLines(
  records: unknown,
  destination: Destination,
  ...args: [options?: DumpLinesOptions | null] | [replacer: StringifyReplacer, space?: StringifySpace]
): Promise<DumpStats> {
  const o = checkFirst(records, () => {
    const o = resolveOptions(stringifyOptions(args));
    if (o.indent !== null) throw badOption('dumpLines() writes one compact value per line: indent is not allowed');
    if (/[\n\r]/.test(o.itemSep + o.keySep)) throw badOption('dumpLines() separators cannot contain line breaks');
    checkDestination(destination);
    return o;
  });
  return pump(new AsyncDriver(records, o, { lines: true }), () => openSink(destination, o), o.onProgress);
}
