import type { SyncSink } from './sink.js';

/** A sink that writes nothing and counts the UTF-8 bytes it is given: what `measure` runs into. */
export class CountingSink implements SyncSink {
  bytes = 0;

  write(pieces: string[]): void {
    for (const p of pieces) this.bytes += Buffer.byteLength(p);
  }

  writeBytes(bytes: Uint8Array): void {
    this.bytes += bytes.length;
  }

  flush(): void {}

  finish(): void {}

  fail(): void {}
}
