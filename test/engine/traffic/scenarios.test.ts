import { describe, expect, it } from 'vitest';
import { diurnalFactor, isNight } from '@/lib/engine/traffic/diurnal';
import { HEALTHY, firstNight, phaseAt, planScenario } from '@/lib/engine/traffic/scenarios';

const DAY = Date.parse('2026-11-22T00:00:00Z');
const H = 3_600_000;

describe('diurnal load', () => {
  it('averages 1 over a day, with a night trough and an afternoon peak', () => {
    let sum = 0;
    for (let m = 0; m < 1440; m++) sum += diurnalFactor(DAY + m * 60_000);
    expect(sum / 1440).toBeCloseTo(1, 3);
    expect(diurnalFactor(DAY + 3 * H)).toBeCloseTo(0.4, 5);
    expect(diurnalFactor(DAY + 15 * H)).toBeCloseTo(1.6, 5);
  });

  it('knows the night hours', () => {
    expect(isNight(DAY + 2 * H)).toBe(true);
    expect(isNight(DAY + 12 * H)).toBe(false);
    expect(firstNight(DAY + 12 * H, DAY + 26 * H)).toBe(DAY + 25 * H);
    expect(firstNight(DAY + 12 * H, DAY + 13 * H)).toBeNull();
  });
});

describe('scenario plans', () => {
  const input = { startMs: DAY, durationMs: 6 * H, rewrapRate: 40, rate: 100 };

  it('steady is healthy throughout', () => {
    const plan = planScenario({ ...input, scenario: 'steady' });
    expect(plan.phases).toHaveLength(1);
    expect(phaseAt(plan, DAY + 5 * H).kms).toBe(HEALTHY);
    expect(plan.rotationAtMs).toBeNull();
  });

  it('kms-outage fails most calls for a bounded window inside the run', () => {
    const plan = planScenario({ ...input, scenario: 'kms-outage' });
    const outage = plan.phases.find((p) => p.label === 'kms-outage')!;
    expect(outage.fromMs).toBeGreaterThan(DAY);
    expect(outage.toMs - outage.fromMs).toBeLessThanOrEqual(45 * 60_000);
    expect(outage.kms.internalErrorProbability + outage.kms.timeoutProbability).toBeGreaterThan(0.5);
    expect(phaseAt(plan, outage.toMs).label).toBe('healthy');
  });

  it('rotation rotates before the rewrap job starts', () => {
    const plan = planScenario({ ...input, scenario: 'rotation' });
    expect(plan.rotationAtMs).not.toBeNull();
    expect(plan.rewrap!.fromMs).toBeGreaterThan(plan.rotationAtMs!);
    expect(plan.rewrap!.ratePerSec).toBe(40);
  });

  it('compromise happens at night when the window has one', () => {
    const plan = planScenario({ ...input, scenario: 'compromise' });
    expect(isNight(plan.compromise!.fromMs)).toBe(true);
    expect(plan.compromise!.toMs).toBeGreaterThan(plan.compromise!.fromMs);
  });
});
