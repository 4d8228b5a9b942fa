import { AGGREGATE_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

/**
 * The values the on-call filters can take: services, tenants and KEKs that had key
 * operations in the range. The dashboard's filter selects list these, so a user picks a
 * value that exists instead of typing one that silently matches nothing.
 */
export const filterValuesQuestion = defineQuestion({
  name: 'filterValues',
  audience: AGGREGATE_ROLES,
  description: 'Distinct services, tenants and KEK ids with key operations in [from, to) widened outward to whole UTC hours, sorted, at most `limit` each.',
  params: z
    .object({ ...timeRangeShape, limit: z.number().int().min(1).max(1000).default(200) })
    .strict()
    .superRefine(checkTimeRange),
  result: z.object({
    services: z.array(z.string()),
    tenants: z.array(z.string()),
    kekIds: z.array(z.string()),
    /** True when a list was cut at `limit`, so the page can say there are more. */
    truncated: z.boolean(),
  }),
});
export type FilterValuesParams = ParamsOf<typeof filterValuesQuestion>;
export type FilterValuesResult = ResultOf<typeof filterValuesQuestion>;
