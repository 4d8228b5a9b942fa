import { auditHistogramSql } from '../../store/sqlite/sql/audit-search';
import { planFor } from '../buckets';
import type { SqliteAnswerOf } from '../define';
import type { auditHistogramQuestion } from './definition';
import { histogramOf, type BucketCounts } from './points';

type Row = { t: number; count: number; failures: number };

export const sqliteAnswer: SqliteAnswerOf<typeof auditHistogramQuestion> = (ctx, p) =>
  ctx.session(async (s) => {
    const plan = planFor(p);
    const rows = await s.all<Row>(auditHistogramSql(p.query, { fromMs: Date.parse(p.from), toMs: Date.parse(p.to) }, plan.bucketMs));
    return histogramOf(plan, new Map<number, BucketCounts>(rows.map((r) => [r.t, { count: r.count, failures: r.failures }])));
  });
