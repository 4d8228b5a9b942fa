import { AGGREGATE_ROLES } from '../../auth/roles';
import { z } from 'zod';
import { FiltersSchema, IsoTime, NullableCount, SeriesFrameShape, checkTimeRange, timeRangeShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';
import { kekLabel } from '../../model/kek-ref';

/** CloudTrail's errorCode for a throttled KMS call. */
export const THROTTLING_ERROR_CODE = 'ThrottlingException';

/**
 * The key id of a KEK reference: audit events are matched on key id, as operations may
 * name a KEK by ARN (`arn:aws:kms:<region>:<account>:key/<id>`) or by bare id.
 */
export function kekKeyId(kekId: string): string {
  return kekLabel(kekId);
}

const Series = z.array(z.object({ t: IsoTime, count: NullableCount }));

export const kmsThrottlingQuestion = defineQuestion({
  name: 'kmsThrottling',
  audience: AGGREGATE_ROLES,
  description:
    'Per bucket: key operations that failed as throttled, and CloudTrail KMS calls with ThrottlingException. ' +
    'A bucket is null (a gap) when it holds no operations, or no audit events, at all.',
  params: z.object({ ...timeRangeShape, filters: FiltersSchema.default({}) }).strict().superRefine(checkTimeRange),
  result: z.object({
    ...SeriesFrameShape,
    operations: Series,
    auditEvents: Series,
    totals: z.object({ operations: z.number().int().nonnegative(), auditEvents: z.number().int().nonnegative() }),
    /**
     * Audit events carry no service or tenant, so those filters narrow only the operations
     * series; listed here so the page can say so.
     */
    auditFiltersIgnored: z.array(z.enum(['service', 'tenant'])),
  }),
});
export type KmsThrottlingParams = ParamsOf<typeof kmsThrottlingQuestion>;
export type KmsThrottlingResult = ResultOf<typeof kmsThrottlingQuestion>;
