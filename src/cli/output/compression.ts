// Compression chosen by the output's name, with node:zlib.
import * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { UsageError } from '../args.js';

/** The compression extensions, longest spelling first. */
export const COMPRESSED = /\.(gz|br|zst)$/i;

type ZstdZlib = { createZstdCompress?: () => Transform };

/** The runtime's zstd compressor (Node 22.15 / 23.8 and later), or null. */
function zstd(): (() => Transform) | null {
  const create = (zlib as ZstdZlib).createZstdCompress;
  return typeof create === 'function' ? () => create.call(zlib) : null;
}

/** A compressor for a file named `name`, or null when its name asks for none; `.zst` without zstd is a usage error. */
export function compressorFor(name: string): (() => Transform) | null {
  const extension = COMPRESSED.exec(name)?.[1].toLowerCase();
  switch (extension) {
    case 'gz':
      return () => zlib.createGzip();
    case 'br':
      // Quality 4: the default, 11, compresses ten times slower for a few percent (bench/README.md)
      return () => zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
    case 'zst': {
      const create = zstd();
      if (create === null) throw new UsageError(`${name}: this Node.js ${process.version} has no zstd in node:zlib (Node 22.15 or later has); use .gz or .br`);
      return create;
    }
    default:
      return null;
  }
}
