import type { ElasticsearchAnswerOf } from '../define';
import type { latencyPercentilesQuestion } from './definition';
import { fillBuckets, frameOf, planFor } from '../buckets';
import { toIso } from '../common';
import { percentilesOfSorted, type LatencyPercentilesParams, type LatencyPercentilesResult, type PercentileValues } from './definition';
import type { IndexNames } from '../../store/elasticsearch/names';
import { aggsOf, histogramBuckets } from '../../store/elasticsearch/queries/common';
import { latencyRequest, percentileValues } from './elasticsearch-request';
import type { Searcher } from '../../store/elasticsearch/search';

export async function readLatencyPercentiles(search: Searcher, names: IndexNames, p: LatencyPercentilesParams): Promise<LatencyPercentilesResult> {
  const plan = planFor(p);
  const res = await search(latencyRequest(p.operation, p.filters, plan.fromMs, plan.toMs, plan.bucketMs, names.alias('key-operations')));
  const aggs = aggsOf(res);
  const perBucket = new Map<number, PercentileValues>();
  let count = 0;
  for (const b of histogramBuckets(aggs.t)) {
    perBucket.set(Number(b.key), percentileValues(b.p, b.doc_count));
    count += b.doc_count;
  }
  return {
    operation: p.operation,
    method: 'hdr',
    ...frameOf(plan),
    points: fillBuckets(plan, perBucket, (t, v) => ({ t: toIso(t), ...(v ?? percentilesOfSorted([])) })),
    overall: percentileValues(aggs.overall, count),
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof latencyPercentilesQuestion> = (ctx, p) => readLatencyPercentiles(ctx.search, ctx.names, p);
