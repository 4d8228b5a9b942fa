import type { KmsThrottlingResult } from '../../questions/kms-throttling/definition';
import { frameOf, hasValues, type TimeFrame, type TimeRow } from './time-rows';

export const THROTTLING_KEYS = ['operations', 'auditEvents'] as const;
export type ThrottlingRow = TimeRow<(typeof THROTTLING_KEYS)[number]>;

export type ThrottlingSeries = { frame: TimeFrame; rows: ThrottlingRow[]; empty: boolean; totals: KmsThrottlingResult['totals'] };

/**
 * Both series share the question's buckets; they are joined by bucket start, each
 * keeping its own gaps (a bucket may have operations but no audit events yet).
 */
export function prepareThrottlingSeries(result: KmsThrottlingResult): ThrottlingSeries {
  const audit = new Map(result.auditEvents.map((p) => [p.t, p.count]));
  const rows: ThrottlingRow[] = result.operations.map((p) => ({
    t: Date.parse(p.t),
    operations: p.count,
    auditEvents: audit.get(p.t) ?? null,
  }));
  return { frame: frameOf(result), rows, empty: !hasValues(rows, THROTTLING_KEYS), totals: result.totals };
}
