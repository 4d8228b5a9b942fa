import { AGGREGATE_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { SLI_KINDS, type SliKind } from '../../detect/slo-config';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';
import { FiltersSchema, IsoTime, NullableCount, NullableRatio, SeriesFrameShape, checkTimeRange, timeRangeShape } from '../common';

/**
 * Which SLI to count. All three count unwrap operations:
 * - unwrap_success: good = outcome success, total = every unwrap;
 * - unwrap_latency: good = latencyMs <= thresholdMs, total = every unwrap;
 * - cache_hit: good = cacheHit true, total = unwraps whose cacheHit is not null.
 */
export const SliSpecShape = {
  sli: z.enum(SLI_KINDS),
  thresholdMs: z.number().positive().finite().optional(),
};

/** Which SLI and, for latency, its threshold: what every backend needs to count good and total. */
export type SliSpec = { sli: SliKind; thresholdMs?: number | undefined };

export function checkSliSpec(p: { sli: string; thresholdMs?: number | undefined }, ctx: z.RefinementCtx): void {
  if (p.sli === 'unwrap_latency' && p.thresholdMs === undefined) {
    ctx.addIssue({ code: 'custom', message: 'required for the unwrap_latency SLI', path: ['thresholdMs'] });
  }
}

const SliPointSchema = z.object({ t: IsoTime, good: NullableCount, total: NullableCount, ratio: NullableRatio });

export const sliSeriesQuestion = defineQuestion({
  name: 'sliSeries',
  audience: AGGREGATE_ROLES,
  description: 'Per bucket good/total/ratio of an unwrap SLI; null where a bucket has no unwraps.',
  params: z
    .object({ ...timeRangeShape, ...SliSpecShape, filters: FiltersSchema.default({}) })
    .strict()
    .superRefine((p, ctx) => {
      checkTimeRange(p, ctx);
      checkSliSpec(p, ctx);
    }),
  result: z.object({
    sli: z.enum(SLI_KINDS),
    thresholdMs: z.number().nullable(),
    ...SeriesFrameShape,
    points: z.array(SliPointSchema),
    summary: z.object({ good: z.number().int().nonnegative(), total: z.number().int().nonnegative(), ratio: NullableRatio }),
  }),
});
export type SliSeriesParams = ParamsOf<typeof sliSeriesQuestion>;
export type SliSeriesResult = ResultOf<typeof sliSeriesQuestion>;
