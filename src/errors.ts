/** The codes every error raised by jsondump itself carries. */
export type JSONDumpErrorCode =
  | 'ERR_CIRCULAR'
  | 'ERR_NON_FINITE'
  | 'ERR_KEY_TYPE'
  | 'ERR_ASYNC_VALUE'
  | 'ERR_ABORTED'
  | 'ERR_BAD_OPTION'
  | 'ERR_UNSERIALIZABLE'
  | 'ERR_LIMIT'
  | 'ERR_INVALID_UTF8';

/** An error raised by jsondump: `code` says what went wrong, `path` where (`$.users[3].name`). */
export class JSONDumpError extends Error {
  readonly code: JSONDumpErrorCode;
  readonly path: string;

  constructor(code: JSONDumpErrorCode, message: string, path = '$', options?: { cause?: unknown }) {
    super(`${message} at ${path}`, options);
    this.name = 'JSONDumpError';
    this.code = code;
    this.path = path;
  }
}

export function badOption(message: string): JSONDumpError {
  return new JSONDumpError('ERR_BAD_OPTION', message);
}
