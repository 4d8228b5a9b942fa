import { z } from 'zod';
import { ANALYST_ROLES } from '../../auth/roles';
import { AuditEventSchema } from '../../model/audit-event';
import { defineQuestion, type ParamsOf, type ResultOf } from '../define';

export const auditEventQuestion = defineQuestion({
  name: 'auditEvent',
  audience: ANALYST_ROLES,
  description: 'One audit event by its CloudTrail eventID, with every normalized field and the raw record as received; null when there is none.',
  params: z.object({ id: z.string().min(1).max(128) }).strict(),
  result: z.object({ event: AuditEventSchema.nullable() }),
});
export type AuditEventParams = ParamsOf<typeof auditEventQuestion>;
export type AuditEventResult = ResultOf<typeof auditEventQuestion>;
