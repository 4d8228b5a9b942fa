import { z } from 'zod';
import type { SloDefinition } from '../../detect/slo-config';
import { FiltersSchema } from '../common';
import { NotFoundError, SloOutOfScopeError } from '../errors';
import { sloStatusQuestion, type SloStatusParams } from './definition';
import { scopeSlo } from './scope';

/**
 * The SLO status as the browser asks for it: by SLO id (the definition stays on the
 * server, in config) and the page's filters, which narrow the SLO (./scope.ts).
 */
export const sloStatusRequest = sloStatusQuestion.params
  .omit({ slo: true })
  .extend({ sloId: z.string().min(1).max(64), filters: FiltersSchema.default({}) })
  .strict();

export async function resolveSloStatusRequest(req: z.output<typeof sloStatusRequest>, env: { slos: () => Promise<SloDefinition[]> }): Promise<SloStatusParams> {
  const slo = (await env.slos()).find((s) => s.id === req.sloId);
  if (slo === undefined) throw new NotFoundError(`no SLO with id "${req.sloId}" in the SLO configuration`);
  const scoped = scopeSlo(slo, req.filters);
  if (scoped === null) throw new SloOutOfScopeError(`SLO "${slo.id}" covers only ${JSON.stringify(slo.filters)}`);
  return { slo: scoped, now: req.now };
}
