import { fillBuckets } from '../../../queries/buckets';
import { toIso } from '../../../queries/common';
import type { KmsThrottlingParams, KmsThrottlingResult } from '../../../queries/kms-throttling';
import type { ReadSession } from '../read-pool/read-session';
import { throttledAuditSql, throttledOperationsSql } from '../sql/throttling';
import { byBucket, frameOf, planFor } from './series';

type Row = { t: number; count: number; total: number };

/** A bucket with no records at all is a gap; one with records but no throttling is a zero. */
function series(rows: Row[], plan: ReturnType<typeof planFor>) {
  return fillBuckets(plan, byBucket(rows), (t, r) => ({ t: toIso(t), count: r === undefined || r.total === 0 ? null : r.count }));
}

export async function readKmsThrottling(s: ReadSession, p: KmsThrottlingParams): Promise<KmsThrottlingResult> {
  const plan = planFor(p);
  const ops = await s.all<Row>(throttledOperationsSql(p.filters, plan.fromMs, plan.toMs, plan.bucketMs));
  const audit = await s.all<Row>(throttledAuditSql(p.filters, plan.fromMs, plan.toMs, plan.bucketMs));
  const sum = (rows: Row[]): number => rows.reduce((s, r) => s + r.count, 0);
  return {
    ...frameOf(plan),
    operations: series(ops, plan),
    auditEvents: series(audit, plan),
    totals: { operations: sum(ops), auditEvents: sum(audit) },
    auditFiltersIgnored: (['service', 'tenant'] as const).filter((k) => p.filters[k] !== undefined),
  };
}
