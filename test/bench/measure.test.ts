import { describe, expect, it } from 'vitest';
import { compareRounds, medianRate, pairedRatio, timedLoopFor, type Rate } from '../../bench/lib/measure';

const rate = (opsPerSec: number, opsPerCpuSec = opsPerSec): Rate => ({ opsPerSec, bytesPerSec: opsPerSec * 10, opsPerCpuSec });

describe('bench measuring kit', () => {
  it('pairedRatio divides round by round and reports the median, lowest and highest', () => {
    const engine = [rate(90), rate(50), rate(100)];
    const raw = [rate(100), rate(100), rate(100)];
    expect(pairedRatio(engine, raw)).toEqual({ median: 0.9, min: 0.5, max: 1 });
    expect(pairedRatio([rate(1, 3)], [rate(1, 4)], true).median).toBe(0.75);
    expect(() => pairedRatio([rate(1)], [])).toThrow(RangeError);
  });

  it('medianRate takes each figure\'s median on its own', () => {
    expect(medianRate([rate(3, 30), rate(1, 10), rate(2, 40)])).toEqual({ opsPerSec: 2, bytesPerSec: 20, opsPerCpuSec: 30 });
  });

  it('timedLoopFor gives each case a loop of its own that runs to the deadline in blocks of 16', async () => {
    const a = timedLoopFor('a');
    const b = timedLoopFor('b');
    expect(a).not.toBe(b);
    expect(a.toString()).not.toBe(b.toString()); // its own source, so its own type feedback
    let calls = 0;
    const deadline = process.hrtime.bigint() + 20_000_000n;
    const { ops, end } = await a(() => calls++, deadline);
    expect(ops).toBe(calls);
    expect(ops % 16).toBe(0);
    expect(end >= deadline).toBe(true);
  });

  it('compareRounds runs every case every round, the first case rotating, and calls beforeEach before each run', async () => {
    const order: string[] = [];
    let current = '';
    const cases = Object.fromEntries(['x', 'y', 'z'].map((n) => [n, () => (current === n ? undefined : order.push((current = n)))]));
    let before = 0;
    const res = await compareRounds(cases, 1, { rounds: 3, budgetMs: 1, beforeEach: () => before++ });
    expect(order).toEqual(['x', 'y', 'z', 'y', 'z', 'x', 'z', 'x', 'y']);
    expect(before).toBe(9);
    for (const n of ['x', 'y', 'z']) expect(res.rounds[n]).toHaveLength(3);
  });
});
