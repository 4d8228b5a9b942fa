import type { ElasticsearchAnswerOf } from '../define';
import type { sliSeriesQuestion } from './definition';
import { fillBuckets, frameOf, planFor } from '../buckets';
import { toIso } from '../common';
import type { SliSeriesParams, SliSeriesResult } from './definition';
import type { IndexNames } from '../../store/elasticsearch/names';
import { aggsOf, histogramBuckets } from '../../store/elasticsearch/queries/common';
import { countsOf, sliSeriesRequest } from '../../store/elasticsearch/queries/sli';
import type { Searcher } from '../../store/elasticsearch/search';

export async function readSliSeries(search: Searcher, names: IndexNames, p: SliSeriesParams): Promise<SliSeriesResult> {
  const plan = planFor(p);
  const res = await search(sliSeriesRequest(p, p.filters, plan.fromMs, plan.toMs, plan.bucketMs, names.alias('key-operations')));
  const values = new Map<number, { good: number; total: number }>();
  for (const b of histogramBuckets(aggsOf(res).t)) {
    const c = countsOf(b);
    if (c.total > 0) values.set(Number(b.key), c);
  }
  let good = 0;
  let total = 0;
  for (const c of values.values()) {
    good += c.good;
    total += c.total;
  }
  return {
    sli: p.sli,
    thresholdMs: p.thresholdMs ?? null,
    ...frameOf(plan),
    points: fillBuckets(plan, values, (t, c) =>
      c === undefined ? { t: toIso(t), good: null, total: null, ratio: null } : { t: toIso(t), good: c.good, total: c.total, ratio: c.good / c.total },
    ),
    summary: { good, total, ratio: total > 0 ? good / total : null },
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof sliSeriesQuestion> = (ctx, p) => readSliSeries(ctx.search, ctx.names, p);
