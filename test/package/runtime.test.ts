// Which runtime the suite runs on. CI runs part of the suite again on Node's current LTS, Bun and
// Deno (test/runtimes/run) with JSONDUMP_RUNTIME naming the one it started: this fails if the
// tests quietly ran on another (vitest's workers inherit the runtime that started vitest).
import { describe, expect, it } from 'vitest';

function runtime(): { name: string; version: string } {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  if (g.Deno !== undefined) return { name: 'deno', version: g.Deno.version.deno };
  if (g.Bun !== undefined) return { name: 'bun', version: g.Bun.version };
  return { name: 'node', version: process.versions.node };
}

describe('runtime', () => {
  it('is the one the run asked for, at a supported version', () => {
    const { name, version } = runtime();
    console.log(`running on ${name} ${version}`);
    const wanted = process.env.JSONDUMP_RUNTIME ?? 'node';
    expect(name).toBe(wanted.replace(/@.*/, ''));
    if (wanted.includes('@')) expect(version.split('.')[0]).toBe(wanted.split('@')[1]);
    if (name === 'node') {
      const [major, minor] = version.split('.').map(Number) as [number, number];
      expect(major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)).toBe(true);
    }
  });
});
