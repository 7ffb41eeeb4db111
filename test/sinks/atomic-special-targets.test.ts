// An atomic write replaces a regular file by renaming a temporary file over it. A target that
// is not a regular file must not be replaced so: a symbolic link keeps being a link (the file
// it points at is replaced), and a FIFO or a device (as root, /dev/null!) is written directly.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createFileWriteStream, dump, dumpSync } from '../../src/index.js';
import { useTempDir } from '../helpers/io.js';

const tmp = useTempDir('special');

const value = { rows: Array.from({ length: 500 }, (_, i) => ({ i, s: 'é😀'.repeat(i % 7) })) };
const text = JSON.stringify(value);

type Way = (target: string) => Promise<unknown>;
const WAYS: [string, Way][] = [
  ['dump', (t) => dump(value, t, { chunkSize: 512 })],
  ['dumpSync', async (t) => dumpSync(value, t, { chunkSize: 512 })],
  [
    'createFileWriteStream',
    (t) =>
      new Promise((resolve, reject) => {
        const w = createFileWriteStream(t);
        w.on('error', reject);
        w.on('finish', resolve);
        w.end(text);
      }),
  ],
];

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe.each(WAYS)('%s', (_name, write) => {
  it('a symbolic link stays a link; the file it points at gets the text', async () => {
    const dir = tmp.dir();
    fs.writeFileSync(path.join(dir, 'real.json'), 'OLD');
    fs.symlinkSync('real.json', path.join(dir, 'link.json'));
    await write(path.join(dir, 'link.json'));
    expect(fs.lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(dir, 'link.json'))).toBe('real.json');
    expect(fs.readFileSync(path.join(dir, 'real.json'), 'utf8')).toBe(text);
    expect(fs.readdirSync(dir).sort()).toEqual(['link.json', 'real.json']);
  });

  it('a chain of links into another directory: the final file is replaced, beside itself', async () => {
    const dir = tmp.dir();
    fs.mkdirSync(path.join(dir, 'data'));
    fs.mkdirSync(path.join(dir, 'links'));
    fs.writeFileSync(path.join(dir, 'data', 'real.json'), 'OLD');
    fs.symlinkSync('../data/real.json', path.join(dir, 'links', 'a.json'));
    fs.symlinkSync(path.join(dir, 'links', 'a.json'), path.join(dir, 'b.json'));
    await write(path.join(dir, 'b.json'));
    expect(fs.lstatSync(path.join(dir, 'b.json')).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(path.join(dir, 'links', 'a.json')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'data', 'real.json'), 'utf8')).toBe(text);
    expect(fs.readdirSync(path.join(dir, 'data'))).toEqual(['real.json']);
    expect(fs.readdirSync(path.join(dir, 'links'))).toEqual(['a.json']);
  });

  it('a dangling link: the file it names is created, the link stays', async () => {
    const dir = tmp.dir();
    fs.symlinkSync('new.json', path.join(dir, 'link.json'));
    await write(path.join(dir, 'link.json'));
    expect(fs.lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'new.json'), 'utf8')).toBe(text);
  });

  it('a FIFO is written directly, and stays a FIFO', async () => {
    const dir = tmp.dir();
    const fifo = path.join(dir, 'fifo');
    const out = path.join(dir, 'out');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', fifo, out], { stdio: 'ignore' });
    children.push(reader);
    const read = new Promise((resolve) => reader.on('exit', resolve));
    await write(fifo);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    await read;
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
    expect(fs.readdirSync(dir).sort()).toEqual(['fifo', 'out']);
  });

  it('a character device (a /dev/null made with mknod) is written directly, and stays a device', async () => {
    const dir = tmp.dir();
    const dev = path.join(dir, 'null');
    execFileSync('mknod', [dev, 'c', '1', '3']);
    const { rdev } = fs.lstatSync(dev);
    await write(dev);
    const st = fs.lstatSync(dev);
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe(rdev);
    expect(fs.readdirSync(dir)).toEqual(['null']);
  });
});

describe('atomic: false', () => {
  it('writes through a link as the kernel does; the link stays', async () => {
    const dir = tmp.dir();
    fs.writeFileSync(path.join(dir, 'real.json'), 'OLD CONTENT LONGER THAN THE TEXT'.repeat(1000));
    fs.symlinkSync('real.json', path.join(dir, 'link.json'));
    await dump(value, path.join(dir, 'link.json'), { atomic: false });
    expect(fs.lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'real.json'), 'utf8')).toBe(text);
  });
});
