/**
 * SLO arithmetic as pure functions of counts (STYLE.md 3), shared by every store backend,
 * the on-call page and the burn-rate alert scheduler.
 */

/** Good/total counts behind a ratio. */
export type Counts = { good: number; total: number };

/** The SLI: good / total, or null when there was nothing to measure. */
export function sli(good: number, total: number): number | null {
  return total > 0 ? good / total : null;
}

/**
 * Share of the error budget left: 1 - (1 - SLI) / (1 - objective). 1 is untouched, 0 is
 * spent, negative is overspent (kept, so the page can say by how much).
 */
export function errorBudgetRemaining(sliValue: number | null, objective: number): number | null {
  if (sliValue === null) return null;
  return 1 - (1 - sliValue) / (1 - objective);
}

/**
 * How fast the budget burns: the error rate in a window over the rate the objective allows.
 * 1 spends exactly the budget over the SLO window; null when the window has no events.
 */
export function burnRate(counts: Counts, objective: number): number | null {
  if (counts.total <= 0) return null;
  return (counts.total - counts.good) / counts.total / (1 - objective);
}

export const MIN_MS = 60_000;
/** The windows the multi-window, multi-burn-rate method reads. */
export const BURN_WINDOWS = { '5m': 5 * MIN_MS, '30m': 30 * MIN_MS, '1h': 60 * MIN_MS, '6h': 360 * MIN_MS } as const;
export type BurnWindow = keyof typeof BURN_WINDOWS;
export const BURN_WINDOW_NAMES = Object.keys(BURN_WINDOWS) as BurnWindow[];

/**
 * The two conditions of the method (Google SRE workbook, ch. 5): a page when the last hour
 * burned 14.4x (2% of a 30-day budget) and the last 5 minutes still do; a ticket when the
 * last 6 hours burned 6x (5%) and the last 30 minutes still do. The short window lets the
 * alert clear soon after the burning stops.
 */
export const BURN_RULES = {
  page: { long: '1h', short: '5m', threshold: 14.4 },
  ticket: { long: '6h', short: '30m', threshold: 6 },
} as const satisfies Record<string, { long: BurnWindow; short: BurnWindow; threshold: number }>;

export type AlertState = 'ok' | 'ticket' | 'page';

export type BurnCondition = {
  long: { window: BurnWindow; burnRate: number | null };
  short: { window: BurnWindow; burnRate: number | null };
  threshold: number;
  firing: boolean;
};

export type BurnEvaluation = { state: AlertState; page: BurnCondition; ticket: BurnCondition };

function above(rate: number | null, threshold: number): boolean {
  return rate !== null && rate > threshold;
}

function condition(rule: (typeof BURN_RULES)[keyof typeof BURN_RULES], rates: Record<BurnWindow, number | null>): BurnCondition {
  const long = rates[rule.long];
  const short = rates[rule.short];
  return {
    long: { window: rule.long, burnRate: long },
    short: { window: rule.short, burnRate: short },
    threshold: rule.threshold,
    firing: above(long, rule.threshold) && above(short, rule.threshold),
  };
}

/** The alert state from the burn rate of each window; windows without events never fire. */
export function evaluateBurnRates(rates: Record<BurnWindow, number | null>): BurnEvaluation {
  const page = condition(BURN_RULES.page, rates);
  const ticket = condition(BURN_RULES.ticket, rates);
  const state: AlertState = page.firing ? 'page' : ticket.firing ? 'ticket' : 'ok';
  return { state, page, ticket };
}

/** A per-minute (or any fixed-step) count series point; `t` is the step's start in ms. */
export type CountPoint = Counts & { t: number };

/** Sums the points whose step starts in [endMs - windowMs, endMs). */
export function sumWindow(points: readonly CountPoint[], endMs: number, windowMs: number): Counts {
  let good = 0;
  let total = 0;
  for (const p of points) {
    if (p.t >= endMs - windowMs && p.t < endMs) {
      good += p.good;
      total += p.total;
    }
  }
  return { good, total };
}

/** Burn rates of every window ending at `endMs`, from a count series (the scheduler's and tests' path). */
export function burnRatesAt(points: readonly CountPoint[], endMs: number, objective: number): Record<BurnWindow, number | null> {
  const out = {} as Record<BurnWindow, number | null>;
  for (const w of BURN_WINDOW_NAMES) out[w] = burnRate(sumWindow(points, endMs, BURN_WINDOWS[w]), objective);
  return out;
}
