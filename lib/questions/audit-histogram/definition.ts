import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { ALL, AuditQuerySchema, auditRangeShape, checkAuditRange } from '../audit-common';
import { IsoTime, SeriesFrameShape } from '../common';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

export const auditHistogramQuestion = defineQuestion({
  name: 'auditHistogram',
  audience: ANALYST_ROLES,
  description:
    'Matching audit events per bucket over [from, to), split by outcome; buckets as every series (lib/questions/buckets.ts: ' +
    'fewer than 360, aligned to the bucket width). A bucket with no events has zeros (an audit trail has no gaps to show).',
  params: z.object({ ...auditRangeShape, query: AuditQuerySchema.default(ALL) }).strict().superRefine(checkAuditRange),
  result: z.object({
    ...SeriesFrameShape,
    points: z.array(z.object({ t: IsoTime, success: z.number().int().nonnegative(), failure: z.number().int().nonnegative() })),
    total: z.number().int().nonnegative(),
  }),
});
export type AuditHistogramParams = ParamsOf<typeof auditHistogramQuestion>;
export type AuditHistogramResult = ResultOf<typeof auditHistogramQuestion>;
