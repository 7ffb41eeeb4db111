export function assemble(
  source: { single: boolean; batches(layout: unknown, signal: AbortSignal): AsyncIterable<{ kind: 'encoded'; bytes: Uint8Array; ends: ArrayLike<number> }> },
  layout: { options: object; lines: boolean },
  write: (chunk: string | Uint8Array) => void,
  signal?: AbortSignal,
): Promise<number>;
