import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { planFor, frameOf } from '../buckets';
import { IsoTime, SeriesFrameShape, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

const Count = z.number().int().nonnegative();

export const keyUsageQuestion = defineQuestion({
  name: 'keyUsage',
  audience: ANALYST_ROLES,
  description:
    "One KEK's audit events per bucket over [from, to), by action and outcome; buckets as every series (lib/questions/buckets.ts). " +
    'A bucket without events counts zero (an audit trail has no gaps to show). Actions by total calls, most first.',
  params: z.object({ ...timeRangeShape, keyArn: z.string().min(1).max(2048) }).strict().superRefine(checkTimeRange),
  result: z.object({
    ...SeriesFrameShape,
    /** Bucket starts; each series has one count per bucket, in this order. */
    buckets: z.array(IsoTime),
    series: z.array(z.object({ action: z.string(), total: Count, success: z.array(Count), failure: z.array(Count) })),
    total: Count,
  }),
});
export type KeyUsageParams = ParamsOf<typeof keyUsageQuestion>;
export type KeyUsageResult = ResultOf<typeof keyUsageQuestion>;

/** Cells (bucket start, action, outcome, count) laid onto the range's buckets: the same on every backend. */
export function usageSeries(p: KeyUsageParams, cells: ReadonlyArray<{ t: number; action: string; failed: boolean; n: number }>): KeyUsageResult {
  const plan = planFor(p);
  const index = new Map(plan.starts.map((t, i) => [t, i]));
  const by = new Map<string, KeyUsageResult['series'][number]>();
  for (const c of cells) {
    const i = index.get(c.t);
    if (i === undefined) continue;
    let s = by.get(c.action);
    if (s === undefined) by.set(c.action, (s = { action: c.action, total: 0, success: plan.starts.map(() => 0), failure: plan.starts.map(() => 0) }));
    (c.failed ? s.failure : s.success)[i]! += c.n;
    s.total += c.n;
  }
  const series = [...by.values()].sort((a, b) => b.total - a.total || (a.action < b.action ? -1 : 1));
  return { ...frameOf(plan), buckets: plan.starts.map((t) => new Date(t).toISOString()), series, total: series.reduce((n, s) => n + s.total, 0) };
}
