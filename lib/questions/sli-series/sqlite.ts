import type { SqliteAnswerOf } from '../define';
import type { sliSeriesQuestion } from './definition';
import { fillBuckets } from '../buckets';
import { toIso } from '../common';
import type { SliSeriesParams, SliSeriesResult } from './definition';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import { sliSeriesSql } from '../../store/sqlite/sql/sli';
import { byBucket, frameOf, planFor } from '../../store/sqlite/sql/series';

type Row = { t: number; good: number; total: number };

export async function readSliSeries(s: ReadSession, p: SliSeriesParams): Promise<SliSeriesResult> {
  const plan = planFor(p);
  const rows = await s.all<Row>(sliSeriesSql(p, p.filters, plan.fromMs, plan.toMs, plan.bucketMs));
  const points = fillBuckets(plan, byBucket(rows), (t, r) =>
    r === undefined ? { t: toIso(t), good: null, total: null, ratio: null } : { t: toIso(t), good: r.good, total: r.total, ratio: r.good / r.total },
  );
  const good = rows.reduce((s, r) => s + r.good, 0);
  const total = rows.reduce((s, r) => s + r.total, 0);
  return {
    sli: p.sli,
    thresholdMs: p.thresholdMs ?? null,
    ...frameOf(plan),
    points,
    summary: { good, total, ratio: total > 0 ? good / total : null },
  };
}

export const sqliteAnswer: SqliteAnswerOf<typeof sliSeriesQuestion> = (ctx, p) => ctx.session((s) => readSliSeries(s, p));
