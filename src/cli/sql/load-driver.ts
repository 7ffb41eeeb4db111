// Database drivers are loaded when their source is used, so that the library and the other
// sources need none of them installed.
import { SourceError } from '../errors.js';

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** `load()`, or one line naming the package to install when it is not installed. */
export async function loadDriver<T>(pkg: string, what: string, load: () => Promise<T>): Promise<T> {
  const [driver] = await loadDrivers(what, [[pkg, load]]);
  return driver;
}

/**
 * Every driver a source needs, loaded together: when some are not installed, one line names
 * them all (asked one at a time, a user would install one, run again, and learn of the next).
 * A failure other than a missing package is thrown as it is.
 */
export async function loadDrivers<T extends unknown[]>(what: string, drivers: { [K in keyof T]: [pkg: string, load: () => Promise<T[K]>] }): Promise<T> {
  const loaded = await Promise.allSettled((drivers as [string, () => Promise<unknown>][]).map(([, load]) => load()));
  const other = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !missing(r.reason));
  if (other !== undefined) throw other.reason;
  const absent = (drivers as [string, unknown][]).filter((_, i) => loaded[i].status === 'rejected').map(([pkg]) => pkg);
  if (absent.length > 0) {
    const names = absent.length === 1 ? `the ${absent[0]} package` : `the ${absent.slice(0, -1).join(', ')} and ${absent.at(-1)} packages`;
    throw new SourceError(`${what} needs ${names}: npm install ${absent.join(' ')}`);
  }
  return loaded.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}
