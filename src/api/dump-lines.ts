import { AsyncDriver } from '../drive/drive-async.js';
import { checkDestination, openSink, type Destination } from '../drive/destination.js';
import { pump } from '../drive/pump.js';
import { badOption } from '../errors.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** Options of dumpLines: every line is compact, so there is no `indent`. */
export type DumpLinesOptions = Omit<DumpOptions, 'indent'>;

/** Writes each record of an array or (async) iterable as one line of JSON (JSON Lines). */
export async function dumpLines(records: unknown, destination: Destination, options?: DumpLinesOptions): Promise<DumpStats> {
  const o = checkFirst(records, () => {
    const o = resolveOptions(options);
    if (o.indent !== null) throw badOption('dumpLines() writes one compact value per line: indent is not allowed');
    if (/[\n\r]/.test(o.itemSep + o.keySep)) throw badOption('dumpLines() separators cannot contain line breaks');
    checkDestination(destination);
    return o;
  });
  return pump(new AsyncDriver(records, o, { lines: true }), () => openSink(destination, o), o.onProgress);
}
