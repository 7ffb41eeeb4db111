// Database drivers are loaded when their source is used, so that the library and the other
// sources need none of them installed.
import { SourceError } from '../errors.js';

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** `load()`, or one line naming the package to install when it is not installed. */
export async function loadDriver<T>(pkg: string, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (missing(error)) throw new SourceError(`${what} needs the ${pkg} package: npm install ${pkg}`);
    throw error;
  }
}
