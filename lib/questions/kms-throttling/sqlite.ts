import type { SqliteAnswerOf } from '../define';
import type { kmsThrottlingQuestion } from './definition';
import { fillBuckets } from '../buckets';
import { toIso } from '../common';
import type { KmsThrottlingParams, KmsThrottlingResult } from './definition';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import { throttledAuditSql, throttledOperationsSql } from './sqlite-sql';
import { byBucket, frameOf, planFor } from '../../store/sqlite/sql/series';

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

export const sqliteAnswer: SqliteAnswerOf<typeof kmsThrottlingQuestion> = (ctx, p) => ctx.session((s) => readKmsThrottling(s, p));
