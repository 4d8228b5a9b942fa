import type { ElasticsearchAnswerOf } from '../define';
import type { kmsThrottlingQuestion } from './definition';
import { fillBuckets, frameOf, planFor } from '../buckets';
import { toIso } from '../common';
import type { KmsThrottlingParams, KmsThrottlingResult } from './definition';
import type { IndexNames } from '../../store/elasticsearch/names';
import { aggsOf, docCount, histogramBuckets } from '../../store/elasticsearch/queries/common';
import { throttledAuditRequest, throttledOperationsRequest } from './elasticsearch-request';
import type { Searcher } from '../../store/elasticsearch/search';

export async function readKmsThrottling(search: Searcher, names: IndexNames, p: KmsThrottlingParams): Promise<KmsThrottlingResult> {
  const plan = planFor(p);
  const [ops, audit] = await Promise.all([
    search(throttledOperationsRequest(p.filters, plan.fromMs, plan.toMs, plan.bucketMs, names.alias('key-operations'))),
    search(throttledAuditRequest(p.filters, plan.fromMs, plan.toMs, plan.bucketMs, names.alias('audit-events'))),
  ]);
  // A bucket with no records at all is a gap (absent from min_doc_count 1); one with records but no throttling is a zero.
  const series = (res: typeof ops) => {
    const counts = new Map(histogramBuckets(aggsOf(res).t).map((b) => [Number(b.key), docCount(b.hit)]));
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    return { points: fillBuckets(plan, counts, (t, n) => ({ t: toIso(t), count: n ?? null })), total };
  };
  const o = series(ops);
  const a = series(audit);
  return {
    ...frameOf(plan),
    operations: o.points,
    auditEvents: a.points,
    totals: { operations: o.total, auditEvents: a.total },
    auditFiltersIgnored: (['service', 'tenant'] as const).filter((k) => p.filters[k] !== undefined),
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof kmsThrottlingQuestion> = (ctx, p) => readKmsThrottling(ctx.search, ctx.names, p);
