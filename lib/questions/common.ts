import { z } from 'zod';

/** An instant as ISO 8601 with an offset; results always use UTC (`Z`). */
export const IsoTime = z.iso.datetime({ offset: true });

export const DAY_MS = 86_400_000;
/** Longest range a question accepts: a year, so that daily buckets stay near the point budget. */
export const MAX_RANGE_MS = 366 * DAY_MS;

/** `from`/`to` as object fields, for question schemas to build on (zod cannot extend a refined object). */
export const timeRangeShape = { from: IsoTime, to: IsoTime };
export type TimeRange = { from: string; to: string };

/** Checks a parsed range: `to` after `from`, at most MAX_RANGE_MS long. Use with `.superRefine`. */
export function checkTimeRange(r: TimeRange, ctx: z.RefinementCtx): void {
  const span = Date.parse(r.to) - Date.parse(r.from);
  if (!(span > 0)) ctx.addIssue({ code: 'custom', message: '`to` must be after `from`', path: ['to'] });
  else if (span > MAX_RANGE_MS) ctx.addIssue({ code: 'custom', message: 'range must be at most 366 days', path: ['to'] });
}

export const TimeRangeSchema = z.object(timeRangeShape).superRefine(checkTimeRange);

/** The dimensions every on-call question can be narrowed by; all exact matches. */
export const FiltersSchema = z
  .object({
    service: z.string().min(1).max(128).optional(),
    tenant: z.string().min(1).max(128).optional(),
    kekId: z.string().min(1).max(2048).optional(),
  })
  .strict();
export type Filters = z.infer<typeof FiltersSchema>;

/** A ratio or count that is null where there was nothing to measure (a gap, not a zero). */
export const NullableCount = z.number().int().nonnegative().nullable();
export const NullableRatio = z.number().min(0).max(1).nullable();

export function toMs(iso: string): number {
  return Date.parse(iso);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A bucketed series' frame: bucket width and the aligned range it covers. */
export const SeriesFrameShape = {
  bucketMs: z.number().int().positive(),
  from: IsoTime,
  to: IsoTime,
};
