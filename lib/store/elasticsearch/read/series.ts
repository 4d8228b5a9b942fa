import { fillBuckets, frameOf, planFor } from '../../../queries/buckets';
import { toIso } from '../../../queries/common';
import type { KmsThrottlingParams, KmsThrottlingResult } from '../../../queries/kms-throttling';
import type { SliSeriesParams, SliSeriesResult } from '../../../queries/sli-series';
import type { IndexNames } from '../names';
import { aggsOf, docCount, histogramBuckets } from '../queries/common';
import { countsOf, sliSeriesRequest } from '../queries/sli';
import { throttledAuditRequest, throttledOperationsRequest } from '../queries/throttling';
import type { Searcher } from './search';

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
