// Chunk assembly: building ~64 KiB chunks from many small pieces by string +=, by array
// push + join, and by writing into a preallocated Buffer; each chunk goes to /dev/null
// with fs.writeSync, as a file sink would.

import fs from 'node:fs';
import { build } from '../datasets.js';

const rows = build('records', 0.005, 1).value; // 2000 rows
const pieces = rows.flatMap((r) => Object.entries(r).map(([k, v]) => `"${k}":${JSON.stringify(v)},`));
const CHUNK = 65536;
const fd = fs.openSync('/dev/null', 'w');

function concat() {
  let s = '';
  for (let i = 0; i < pieces.length; i++) {
    s += pieces[i];
    if (s.length >= CHUNK) { fs.writeSync(fd, s); s = ''; }
  }
  if (s) fs.writeSync(fd, s);
}

function join() {
  let parts = [];
  let n = 0;
  for (let i = 0; i < pieces.length; i++) {
    parts.push(pieces[i]);
    n += pieces[i].length;
    if (n >= CHUNK) { fs.writeSync(fd, parts.join('')); parts = []; n = 0; }
  }
  if (parts.length) fs.writeSync(fd, parts.join(''));
}

const buf = Buffer.allocUnsafe(CHUNK * 4 + 1024);
function bufferWrites() {
  let off = 0;
  for (let i = 0; i < pieces.length; i++) {
    off += buf.write(pieces[i], off); // utf8; room is guaranteed by the flush below
    if (off >= CHUNK) { fs.writeSync(fd, buf, 0, off); off = 0; }
  }
  if (off) fs.writeSync(fd, buf, 0, off);
}

function utf8Bytes() {
  let s = '';
  for (let i = 0; i < pieces.length; i++) {
    s += pieces[i];
    if (s.length >= CHUNK) { fs.writeSync(fd, Buffer.from(s)); s = ''; }
  }
  if (s) fs.writeSync(fd, Buffer.from(s));
}

export const suites = [{
  name: `chunk assembly: ${pieces.length} pieces (${(pieces.join('').length / 1e6).toFixed(1)} M chars) per op into /dev/null`,
  cases: {
    'string += , writeSync(string)': concat,
    'array push + join': join,
    'Buffer.write into one buffer': bufferWrites,
    'string += , Buffer.from, writeSync(buffer)': utf8Bytes,
  },
}];
