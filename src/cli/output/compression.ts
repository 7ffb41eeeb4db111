// Compression chosen by the output's name, with node:zlib.
import * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { UsageError } from '../errors.js';

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
      // Quality 2 compresses JSON Lines faster than gzip's default, to a third less; zlib's
      // default, 11, runs at 0.2 MB/s, far behind any export (node bench/compression.js)
      return () => zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 2 } });
    case 'zst': {
      const create = zstd();
      if (create === null) throw new UsageError(`${name}: this Node.js ${process.version} has no zstd in node:zlib (Node 22.15 or later has); use .gz or .br`);
      return create;
    }
    default:
      return null;
  }
}
