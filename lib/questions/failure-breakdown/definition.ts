import { AGGREGATE_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { KEY_OPERATION_KINDS } from '../../model/key-operation';
import { FiltersSchema, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

export const FAILURE_GROUPINGS = ['errorClass', 'service', 'kekId'] as const;

const Row = z.object({ key: z.string(), count: z.number().int().positive(), share: z.number().min(0).max(1) });

export const failureBreakdownQuestion = defineQuestion({
  name: 'failureBreakdown',
  audience: AGGREGATE_ROLES,
  description: 'Failed key operations in [from, to) grouped by error class, service or KEK: top N, an "other" row and the total.',
  params: z
    .object({
      ...timeRangeShape,
      by: z.enum(FAILURE_GROUPINGS),
      limit: z.number().int().min(1).max(100).default(10),
      /** Only this operation; every operation when absent. */
      operation: z.enum(KEY_OPERATION_KINDS).optional(),
      filters: FiltersSchema.default({}),
    })
    .strict()
    .superRefine(checkTimeRange),
  result: z.object({
    by: z.enum(FAILURE_GROUPINGS),
    /** Largest first; ties by key, so the order is stable. */
    rows: z.array(Row),
    /** The groups beyond `limit`, folded into one row so truncation is visible; null when nothing was cut. */
    other: z.object({ count: z.number().int().positive(), groups: z.number().int().positive(), share: z.number() }).nullable(),
    total: z.number().int().nonnegative(),
  }),
});
export type FailureBreakdownParams = ParamsOf<typeof failureBreakdownQuestion>;
export type FailureBreakdownResult = ResultOf<typeof failureBreakdownQuestion>;

/** Sorts grouped counts and cuts them to top N plus "other" (pure: each backend only groups). */
export function topFailures(by: FailureBreakdownResult['by'], groups: ReadonlyArray<{ key: string; count: number }>, limit: number): FailureBreakdownResult {
  const sorted = [...groups].filter((g) => g.count > 0).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const total = sorted.reduce((s, g) => s + g.count, 0);
  const share = (n: number): number => (total > 0 ? n / total : 0);
  const rest = sorted.slice(limit);
  const restCount = rest.reduce((s, g) => s + g.count, 0);
  return {
    by,
    rows: sorted.slice(0, limit).map((g) => ({ key: g.key, count: g.count, share: share(g.count) })),
    other: rest.length > 0 ? { count: restCount, groups: rest.length, share: share(restCount) } : null,
    total,
  };
}
