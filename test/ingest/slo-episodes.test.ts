import { describe, expect, it } from 'vitest';
import { stepEpisode } from '../../ingest/scheduler/slo-episodes';
import { DEFAULT_SLOS } from '../../lib/detect/slo-config';
import type { SloStatusResult } from '../../lib/questions/slo-status/definition';

const SLO = DEFAULT_SLOS[0]!;
const condition = (long: number | null, short: number | null, threshold: number, l: string, s: string) => ({
  long: { window: l, burnRate: long }, short: { window: s, burnRate: short }, threshold,
  firing: long !== null && short !== null && long > threshold && short > threshold,
});

function status(pageLong: number | null, pageShort: number | null): SloStatusResult {
  const page = condition(pageLong, pageShort, 14.4, '1h', '5m');
  const ticket = condition(null, null, 6, '6h', '30m');
  return {
    sloId: SLO.id, name: SLO.name, sli: SLO.sli, objective: SLO.objective,
    window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-31T00:00:00.000Z', good: 90, total: 100, sli: 0.9 },
    errorBudgetRemaining: -199,
    burnRates: [],
    alert: { state: page.firing ? 'page' : 'ok', page, ticket } as SloStatusResult['alert'],
  };
}

describe('stepEpisode', () => {
  it('does nothing while the rule is quiet and no episode is open', () => {
    expect(stepEpisode(SLO, 'page', status(1, 1), null, 't0')).toEqual({ alert: null, next: null });
  });

  it('opens an episode with a stable id, updates it while firing, resolves it when it clears', () => {
    const open = stepEpisode(SLO, 'page', status(20, 30), null, '2026-03-01T10:00:00.000Z');
    expect(open.alert).toMatchObject({
      id: 'slo-burn:unwrap-success:page:2026-03-01T10:00:00.000Z', ruleId: 'slo-burn-rate-page', severity: 'critical',
      subject: 'unwrap-success', status: 'open', firstSeen: '2026-03-01T10:00:00.000Z', lastSeen: '2026-03-01T10:00:00.000Z',
    });
    expect(open.alert!.evidence).toMatchObject({ threshold: 14.4, longWindow: { window: '1h', burnRate: 20 }, shortWindow: { burnRate: 30 }, peakBurnRate: 20 });

    const still = stepEpisode(SLO, 'page', status(40, 20), open.next, '2026-03-01T10:01:00.000Z');
    expect(still.alert).toMatchObject({ id: open.alert!.id, status: 'open', firstSeen: '2026-03-01T10:00:00.000Z', lastSeen: '2026-03-01T10:01:00.000Z' });
    expect(still.alert!.evidence.peakBurnRate).toBe(40);

    const cleared = stepEpisode(SLO, 'page', status(16, 2), still.next, '2026-03-01T10:09:00.000Z');
    expect(cleared.alert).toMatchObject({ id: open.alert!.id, status: 'resolved', lastSeen: '2026-03-01T10:09:00.000Z' });
    expect(cleared.next).toBeNull();

    const again = stepEpisode(SLO, 'page', status(50, 50), cleared.next, '2026-03-01T12:00:00.000Z');
    expect(again.alert!.id).toBe('slo-burn:unwrap-success:page:2026-03-01T12:00:00.000Z');
  });
});
