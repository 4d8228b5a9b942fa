import { describe, expect, it } from 'vitest';
import { sloCardState } from '../../components/oncall/slo-card-state';

const condition = { long: { window: '1h' as const, burnRate: null }, short: { window: '5m' as const, burnRate: null }, threshold: 14.4, firing: false };
const status = (state: 'ok' | 'ticket' | 'page', sli: number | null, objective = 0.999) => ({
  objective,
  window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', good: 0, total: 0, sli },
  alert: { state, page: condition, ticket: condition },
});

describe('sloCardState', () => {
  it('is OK only when the objective is met and nothing alerts', () => {
    expect(sloCardState(status('ok', 0.9995))).toBe('ok');
    expect(sloCardState(status('ok', 0.999))).toBe('ok');
  });

  it('says MISSED when the SLI is below the objective and no burn-rate rule fires', () => {
    expect(sloCardState(status('ok', 0.9944))).toBe('missed');
  });

  it('lets a firing alert win over a missed objective', () => {
    expect(sloCardState(status('page', 0.9))).toBe('page');
    expect(sloCardState(status('ticket', 0.9))).toBe('ticket');
  });

  it('does not call an SLO without data missed', () => {
    expect(sloCardState(status('ok', null))).toBe('ok');
  });
});
