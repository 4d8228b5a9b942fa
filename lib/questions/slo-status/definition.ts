import { AGGREGATE_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { SLI_KINDS, SloDefinitionSchema, type SloDefinition } from '../../detect/slo-config';
import {
  BURN_WINDOWS, BURN_WINDOW_NAMES, MIN_MS, burnRate, errorBudgetRemaining, evaluateBurnRates, sli,
  type BurnWindow, type Counts,
} from '../../detect/slo-math';
import { DAY_MS, IsoTime, NullableRatio, toIso } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

const CountsShape = { good: z.number().int().nonnegative(), total: z.number().int().nonnegative() };
const BurnWindowSchema = z.enum(BURN_WINDOW_NAMES as [BurnWindow, ...BurnWindow[]]);
const ConditionSchema = z.object({
  long: z.object({ window: BurnWindowSchema, burnRate: z.number().nullable() }),
  short: z.object({ window: BurnWindowSchema, burnRate: z.number().nullable() }),
  threshold: z.number(),
  firing: z.boolean(),
});

export const sloStatusQuestion = defineQuestion({
  name: 'sloStatus',
  audience: AGGREGATE_ROLES,
  description: 'An SLO at `now`: SLI and error budget over its window, burn rates over 5m/30m/1h/6h, alert state.',
  params: z.object({ slo: SloDefinitionSchema, now: IsoTime }).strict(),
  result: z.object({
    sloId: z.string(),
    name: z.string(),
    sli: z.enum(SLI_KINDS),
    objective: z.number(),
    window: z.object({ from: IsoTime, to: IsoTime, ...CountsShape, sli: NullableRatio }),
    errorBudgetRemaining: z.number().nullable(),
    burnRates: z.array(z.object({ window: BurnWindowSchema, from: IsoTime, to: IsoTime, ...CountsShape, burnRate: z.number().nullable() })),
    alert: z.object({ state: z.enum(['ok', 'ticket', 'page']), page: ConditionSchema, ticket: ConditionSchema }),
  }),
});
export type SloStatusParams = ParamsOf<typeof sloStatusQuestion>;
export type SloStatusResult = ResultOf<typeof sloStatusQuestion>;

export type WindowRange = { fromMs: number; toMs: number };

/**
 * The ranges an SLO status reads, all whole minutes (so per-minute rollups answer them
 * exactly): each window ends with the minute that contains `now`.
 */
export function sloWindows(slo: Pick<SloDefinition, 'windowDays'>, nowMs: number): { slo: WindowRange; burn: Record<BurnWindow, WindowRange> } {
  const toMs = Math.floor(nowMs / MIN_MS) * MIN_MS + MIN_MS;
  const burn = {} as Record<BurnWindow, WindowRange>;
  for (const w of BURN_WINDOW_NAMES) burn[w] = { fromMs: toMs - BURN_WINDOWS[w], toMs };
  return { slo: { fromMs: toMs - slo.windowDays * DAY_MS, toMs }, burn };
}

/** Builds the status from the counts a backend measured over `sloWindows` (the math is backend-independent). */
export function composeSloStatus(
  slo: SloDefinition,
  windows: ReturnType<typeof sloWindows>,
  counts: { slo: Counts; burn: Record<BurnWindow, Counts> },
): SloStatusResult {
  const sliValue = sli(counts.slo.good, counts.slo.total);
  const rates = {} as Record<BurnWindow, number | null>;
  for (const w of BURN_WINDOW_NAMES) rates[w] = burnRate(counts.burn[w], slo.objective);
  return {
    sloId: slo.id,
    name: slo.name,
    sli: slo.sli,
    objective: slo.objective,
    window: { from: toIso(windows.slo.fromMs), to: toIso(windows.slo.toMs), ...counts.slo, sli: sliValue },
    errorBudgetRemaining: errorBudgetRemaining(sliValue, slo.objective),
    burnRates: BURN_WINDOW_NAMES.map((w) => ({
      window: w,
      from: toIso(windows.burn[w].fromMs),
      to: toIso(windows.burn[w].toMs),
      ...counts.burn[w],
      burnRate: rates[w],
    })),
    alert: evaluateBurnRates(rates),
  };
}
