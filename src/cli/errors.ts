// The CLI's two kinds of failure, each one line on stderr: bad usage (exit 2) and a failure of
// the source or the destination (exit 1).

/** Bad command-line usage: one line on stderr, then a pointer to --help; exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure of the source or destination: one line on stderr, exit status 1. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** Node reports a refused connection to a name with several addresses as an AggregateError without message. */
export function messageOf(error: unknown): string {
  const e = error as { message?: string; errors?: unknown[]; code?: string };
  if (e.message) return e.message;
  if (Array.isArray(e.errors) && e.errors.length > 0) return messageOf(e.errors[0]);
  return e.code ?? String(error);
}
