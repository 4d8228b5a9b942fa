import type { estypes } from '@elastic/elasticsearch';
import { aggsOf, docCount, histogram, histogramBuckets, SEARCH_DEFAULTS } from '../../store/elasticsearch/queries/common';
import { auditQuery } from '../audit-search/elasticsearch-query';
import { planFor, type BucketPlan } from '../buckets';
import type { ElasticsearchAnswerOf } from '../define';
import type { AuditHistogramParams, auditHistogramQuestion } from './definition';
import { histogramOf, type BucketCounts } from './points';

/** Matching events per epoch-aligned bucket of the plan, failures among them. */
export function auditHistogramRequest(p: AuditHistogramParams, plan: BucketPlan, index: string): estypes.SearchRequest {
  return {
    ...SEARCH_DEFAULTS,
    index,
    query: auditQuery(p.query, Date.parse(p.from), Date.parse(p.to)),
    aggs: { t: { date_histogram: histogram(plan.bucketMs), aggs: { failures: { filter: { term: { 'event.outcome': 'failure' } } } } } },
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof auditHistogramQuestion> = async (ctx, p) => {
  const plan = planFor(p);
  const res = await ctx.search(auditHistogramRequest(p, plan, ctx.names.alias('audit-events')));
  const values = new Map<number, BucketCounts>();
  for (const b of histogramBuckets(aggsOf(res).t)) values.set(Number(b.key), { count: b.doc_count, failures: docCount(b.failures) });
  return histogramOf(plan, values);
};
