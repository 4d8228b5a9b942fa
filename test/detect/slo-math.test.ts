import { describe, expect, it } from 'vitest';
import {
  burnRate, burnRatesAt, errorBudgetRemaining, evaluateBurnRates, sli, sumWindow, MIN_MS, type CountPoint,
} from '../../lib/detect/slo-math';

describe('sli, error budget, burn rate', () => {
  it('computes the SLI and is null without events', () => {
    expect(sli(999, 1000)).toBe(0.999);
    expect(sli(0, 0)).toBeNull();
  });

  it('error budget remaining: full, spent, overspent', () => {
    expect(errorBudgetRemaining(1, 0.999)).toBe(1);
    expect(errorBudgetRemaining(0.999, 0.99)).toBeCloseTo(0.9, 12);
    expect(errorBudgetRemaining(0.99, 0.99)).toBeCloseTo(0, 12);
    expect(errorBudgetRemaining(0.98, 0.99)).toBeCloseTo(-1, 12);
    expect(errorBudgetRemaining(null, 0.99)).toBeNull();
  });

  it('burn rate is the error rate over the allowed rate, null without events', () => {
    expect(burnRate({ good: 990, total: 1000 }, 0.99)).toBeCloseTo(1, 12);
    expect(burnRate({ good: 856, total: 1000 }, 0.99)).toBeCloseTo(14.4, 9);
    expect(burnRate({ good: 1000, total: 1000 }, 0.9995)).toBe(0);
    expect(burnRate({ good: 0, total: 0 }, 0.99)).toBeNull();
  });
});

describe('multi-window, multi-burn-rate evaluation', () => {
  const rates = (r: Partial<Record<'5m' | '30m' | '1h' | '6h', number | null>>) => ({ '5m': null, '30m': null, '1h': null, '6h': null, ...r });

  it('pages only when both the 1h and the 5m window burn above 14.4', () => {
    expect(evaluateBurnRates(rates({ '1h': 15, '5m': 20 })).state).toBe('page');
    expect(evaluateBurnRates(rates({ '1h': 15, '5m': 3 })).state).toBe('ok');
    expect(evaluateBurnRates(rates({ '1h': 10, '5m': 100 })).state).toBe('ok');
    // "Above" is strict: exactly at the threshold does not fire.
    expect(evaluateBurnRates(rates({ '1h': 14.4, '5m': 14.4 })).state).toBe('ok');
  });

  it('opens a ticket when the 6h and 30m windows burn above 6, and a page outranks it', () => {
    expect(evaluateBurnRates(rates({ '6h': 7, '30m': 6.5 })).state).toBe('ticket');
    expect(evaluateBurnRates(rates({ '6h': 7, '30m': 5 })).state).toBe('ok');
    const both = evaluateBurnRates(rates({ '6h': 20, '30m': 20, '1h': 20, '5m': 20 }));
    expect(both.state).toBe('page');
    expect(both.ticket.firing).toBe(true);
  });

  it('never fires on windows without events, and reports the numbers', () => {
    const e = evaluateBurnRates(rates({}));
    expect(e.state).toBe('ok');
    expect(e.page).toEqual({ long: { window: '1h', burnRate: null }, short: { window: '5m', burnRate: null }, threshold: 14.4, firing: false });
    expect(e.ticket.long.window).toBe('6h');
    expect(e.ticket.short.window).toBe('30m');
  });
});

describe('crafted series: firing and clearing', () => {
  const objective = 0.999;
  const T0 = Date.UTC(2026, 2, 1);
  /** 12 hours per minute: 1000 requests, all good except during the outage minutes. */
  function series(badPerMinute: (minute: number) => number): CountPoint[] {
    return Array.from({ length: 720 }, (_, m) => ({ t: T0 + m * MIN_MS, total: 1000, good: 1000 - badPerMinute(m) }));
  }
  const stateAt = (points: CountPoint[], minute: number) => evaluateBurnRates(burnRatesAt(points, T0 + minute * MIN_MS, objective)).state;

  it('sums only the steps inside [end - window, end)', () => {
    const pts = series(() => 0);
    expect(sumWindow(pts, T0 + 10 * MIN_MS, 5 * MIN_MS)).toEqual({ good: 5000, total: 5000 });
    expect(sumWindow(pts, T0 + 2 * MIN_MS, 5 * MIN_MS)).toEqual({ good: 2000, total: 2000 });
  });

  it('a hard outage pages within minutes and clears within 5 minutes of recovery', () => {
    // Minutes 400..429: half the requests fail (burn rate 500).
    const pts = series((m) => (m >= 400 && m < 430 ? 500 : 0));
    expect(stateAt(pts, 400)).toBe('ok');
    // After one bad minute: 5m burn = 100, 1h burn = 500/60000/0.001 = 8.3 — not yet.
    expect(stateAt(pts, 401)).toBe('ok');
    // After two: 1h burn = 16.7 > 14.4, 5m burn = 200.
    expect(stateAt(pts, 402)).toBe('page');
    expect(stateAt(pts, 429)).toBe('page');
    // Recovered at 430: the 5m window still holds bad minutes until 435.
    expect(stateAt(pts, 434)).toBe('page');
    // The 1h window still burns hard, but the 5m window is clean: the page clears...
    const after = evaluateBurnRates(burnRatesAt(pts, T0 + 435 * MIN_MS, objective));
    expect(after.page.long.burnRate!).toBeGreaterThan(14.4);
    expect(after.page.short.burnRate).toBe(0);
    // ...and the 6h/30m ticket holds until the 30m window is clean too.
    expect(after.state).toBe('ticket');
    expect(stateAt(pts, 459)).toBe('ticket');
    expect(stateAt(pts, 460)).toBe('ok');
  });

  it('a slow burn opens a ticket but never pages', () => {
    // 1% errors for four hours: burn rate 10 everywhere.
    const pts = series((m) => (m >= 300 && m < 540 ? 10 : 0));
    expect(stateAt(pts, 320)).toBe('ok'); // the 6h window has only 20 bad minutes: burn 0.56
    const states = Array.from({ length: 720 }, (_, m) => stateAt(pts, m));
    expect(states).not.toContain('page');
    // 6h burn exceeds 6 once 217 of its 360 minutes burn at 10x (6 * 360 / 10 = 216).
    expect(stateAt(pts, 300 + 216)).toBe('ok');
    expect(stateAt(pts, 300 + 217)).toBe('ticket');
    expect(stateAt(pts, 539)).toBe('ticket');
    // 30 minutes after the burn stops, the short window clears the ticket.
    expect(stateAt(pts, 540 + 30)).toBe('ok');
  });
});
