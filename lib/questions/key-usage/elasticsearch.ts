import type { estypes } from '@elastic/elasticsearch';
import { planFor } from '../buckets';
import type { ElasticsearchAnswerOf } from '../define';
import { term, timeRange } from '../../store/elasticsearch/queries/common';
import { allCompositeBuckets } from '../../store/elasticsearch/search';
import { usageSeries, type keyUsageQuestion, type KeyUsageParams } from './definition';

/** One composite page of (bucket, action, outcome) counts: exact however many actions. */
export function keyUsageRequest(p: KeyUsageParams, bucketMs: number, index: string, after?: Record<string, estypes.FieldValue>): estypes.SearchRequest {
  return {
    index, ignore_unavailable: true, allow_no_indices: true, size: 0,
    query: { bool: { filter: [term('keyscope.kek.arn', p.keyArn), timeRange(Date.parse(p.from), Date.parse(p.to))] } },
    aggs: {
      cells: {
        composite: {
          size: 2000,
          sources: [
            { t: { date_histogram: { field: '@timestamp', fixed_interval: `${bucketMs}ms` } } },
            { action: { terms: { field: 'event.action' } } },
            { outcome: { terms: { field: 'event.outcome' } } },
          ],
          ...(after ? { after } : {}),
        },
      },
    },
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof keyUsageQuestion> = async (ctx, p) => {
  const plan = planFor(p);
  const buckets = await allCompositeBuckets(ctx.search, (after) => keyUsageRequest(p, plan.bucketMs, ctx.names.alias('audit-events'), after), 'cells');
  return usageSeries(p, buckets.map((b) => ({ t: Number(b.key.t), action: String(b.key.action), failed: b.key.outcome === 'failure', n: b.doc_count })));
};
