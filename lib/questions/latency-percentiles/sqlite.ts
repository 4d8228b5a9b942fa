import type { SqliteAnswerOf } from '../define';
import type { latencyPercentilesQuestion } from './definition';
import { fillBuckets } from '../buckets';
import { toIso } from '../common';
import { HEAVY_READ_ROWS, MAX_EXACT_ROWS, checkRowsScanned } from '../cost';
import { percentilesOfSorted, type LatencyPercentilesParams, type LatencyPercentilesResult, type PercentileValues } from './definition';
import type { SessionRunner } from '../../store/sqlite/read-pool/read-session';
import { latencyRunsSql, operationCountSql } from './sqlite-sql';
import { frameOf, planFor } from '../../store/sqlite/sql/series';

/**
 * Counts first (a few rollup rows), then refuses a read over `maxExactRows`, and runs one
 * over HEAVY_READ_ROWS in the pool's heavy lane. The count and the read are two sessions
 * (two snapshots): the count only schedules, the answer comes from the read alone.
 */
export async function readLatencyPercentiles(session: SessionRunner, p: LatencyPercentilesParams, maxExactRows = MAX_EXACT_ROWS): Promise<LatencyPercentilesResult> {
  const plan = planFor(p);
  const estimate = await session(async (s) => (await s.get<{ n: number }>(operationCountSql(p.operation, p.filters, plan.fromMs, plan.toMs)))?.n ?? 0);
  checkRowsScanned(`exact ${p.operation} latency percentiles over this range`, estimate, maxExactRows, 'pick a shorter range or narrow it with filters');
  const runs = await session((s) => s.sorted(latencyRunsSql(p.operation, p.filters, plan.fromMs, plan.toMs, plan.bucketMs)), { heavy: estimate > HEAVY_READ_ROWS });
  const perBucket = new Map<number, PercentileValues>();
  let from = 0;
  for (let i = 0; i < runs.starts.length; i++) {
    perBucket.set(runs.starts[i]!, percentilesOfSorted(runs.values.subarray(from, runs.ends[i])));
    from = runs.ends[i]!;
  }
  return {
    operation: p.operation,
    method: 'exact',
    ...frameOf(plan),
    points: fillBuckets(plan, perBucket, (t, v) => ({ t: toIso(t), ...(v ?? percentilesOfSorted([])) })),
    overall: percentilesOfSorted(runs.all),
  };
}

export const sqliteAnswer: SqliteAnswerOf<typeof latencyPercentilesQuestion> = (ctx, p) => readLatencyPercentiles(ctx.session, p, ctx.maxExactRows);
