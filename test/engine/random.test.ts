import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@/lib/engine/random';

describe('SeededRandom', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa);
  });

  it('draws uniformly enough and within bounds', () => {
    const r = new SeededRandom(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(0, 9)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('gives log-normals around their median', () => {
    const r = new SeededRandom(3);
    const xs = Array.from({ length: 20_001 }, () => r.logNormal(10, 0.5)).sort((x, y) => x - y);
    expect(xs[10_000]!).toBeGreaterThan(9.5);
    expect(xs[10_000]!).toBeLessThan(10.5);
  });

  it('makes v4-shaped UUIDs', () => {
    const r = new SeededRandom(9);
    for (let i = 0; i < 100; i++) expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('forks independent streams by label', () => {
    const r = new SeededRandom(5);
    const x = r.fork('kms').next();
    const y = r.fork('kms').next();
    const z = r.fork('workload').next();
    expect(x).toBe(y);
    expect(z).not.toBe(x);
  });
});
