import { z } from 'zod';
import { FiltersSchema } from '../questions/common';

export const SLI_KINDS = ['unwrap_success', 'unwrap_latency', 'cache_hit'] as const;
export type SliKind = (typeof SLI_KINDS)[number];

/**
 * One SLO: which SLI, the objective it must meet over a rolling window, and the slice of
 * traffic it covers. The objective is strictly between 0 and 1: at 1 there is no error
 * budget to burn and every burn rate would divide by zero.
 */
export const SloDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and dashes, at most 64'),
    name: z.string().min(1).max(200),
    sli: z.enum(SLI_KINDS),
    /** For unwrap_latency: an unwrap is good when its latency is at most this. */
    thresholdMs: z.number().positive().finite().optional(),
    objective: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1 (an objective of 1 leaves no error budget)'),
    windowDays: z.number().int().min(1).max(90),
    filters: FiltersSchema.default({}),
  })
  .strict()
  .superRefine((slo, ctx) => {
    if (slo.sli === 'unwrap_latency' && slo.thresholdMs === undefined) {
      ctx.addIssue({ code: 'custom', message: 'required for the unwrap_latency SLI', path: ['thresholdMs'] });
    }
    if (slo.sli !== 'unwrap_latency' && slo.thresholdMs !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'only applies to the unwrap_latency SLI', path: ['thresholdMs'] });
    }
  });
export type SloDefinition = z.output<typeof SloDefinitionSchema>;

export const SloConfigSchema = z
  .object({ slos: z.array(SloDefinitionSchema) })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.slos.forEach((slo, i) => {
      if (seen.has(slo.id)) ctx.addIssue({ code: 'custom', message: `duplicate SLO id "${slo.id}"`, path: ['slos', i, 'id'] });
      seen.add(slo.id);
    });
  });

/** The seed targets (DESIGN.md, "Detection and SLOs"). */
export const DEFAULT_SLOS: readonly SloDefinition[] = [
  { id: 'unwrap-success', name: 'Unwrap success', sli: 'unwrap_success', objective: 0.9995, windowDays: 30, filters: {} },
  // "p95 < 200 ms" as a count-based SLI: 95% of unwraps complete within 200 ms.
  { id: 'unwrap-latency', name: 'Unwrap latency p95 under 200 ms', sli: 'unwrap_latency', thresholdMs: 200, objective: 0.95, windowDays: 30, filters: {} },
  { id: 'dek-cache-hit', name: 'DEK cache hit rate', sli: 'cache_hit', objective: 0.95, windowDays: 30, filters: {} },
];

export class SloConfigError extends Error {
  override readonly name = 'SloConfigError';
}

/**
 * Parses SLO definitions, naming the file, the SLO (by id where it has one, else by
 * position) and the field in every problem.
 */
export function parseSloConfig(json: unknown, file: string): SloDefinition[] {
  const parsed = SloConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data.slos;
  const problems = parsed.error.issues.map((issue) => {
    const [first, index, ...field] = issue.path;
    if (first === 'slos' && typeof index === 'number') {
      const raw = (json as { slos?: unknown[] }).slos?.[index] as { id?: unknown } | undefined;
      const who = typeof raw?.id === 'string' ? `SLO "${raw.id}"` : `SLO #${index + 1}`;
      return `${who}, field "${field.join('.') || '(whole definition)'}": ${issue.message}`;
    }
    return `field "${issue.path.join('.') || '(top level)'}": ${issue.message}`;
  });
  throw new SloConfigError(`${file}: invalid SLO configuration: ${problems.join('; ')}`);
}
