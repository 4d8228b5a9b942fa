import { z } from 'zod';

export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

/**
 * A rule's finding. `id` is stable per rule and subject (and episode), so re-evaluating
 * updates the alert instead of adding another.
 */
export const AlertSchema = z
  .object({
    id: z.string().min(1).max(512),
    ruleId: z.string().min(1).max(128),
    severity: z.enum(ALERT_SEVERITIES),
    /** What the alert is about: an SLO id, a key ARN, a principal ARN. */
    subject: z.string().min(1).max(2048),
    title: z.string().min(1).max(512),
    firstSeen: z.iso.datetime({ offset: true }),
    lastSeen: z.iso.datetime({ offset: true }),
    status: z.enum(ALERT_STATUSES),
    /** Numbers and ids that justify the alert (burn rates, event ids, counts). */
    evidence: z.record(z.string(), z.unknown()),
  })
  .strict();
export type Alert = z.infer<typeof AlertSchema>;
