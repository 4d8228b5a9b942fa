import type { Filters } from '../../../questions/common';
import type { SliSpec } from '../../../questions/sli-series/definition';
import { HOUR_MS, LATENCY_LADDER_MS, ROLLUP_TABLES } from '../rollups';
import { filterClauses, int, type SqlQuery } from './query';
import { planSegments } from './segments';


/** Good and total of an SLI as rollup columns, or null when only raw rows can answer it exactly. */
export function rollupColumns(spec: SliSpec): { good: string; total: string } | null {
  switch (spec.sli) {
    case 'unwrap_success':
      return { good: 'success', total: 'total' };
    case 'cache_hit':
      return { good: 'cache_hit', total: 'cache_known' };
    case 'unwrap_latency': {
      const t = spec.thresholdMs;
      return t !== undefined && (LATENCY_LADDER_MS as readonly number[]).includes(t) ? { good: `lat_le_${t}`, total: 'total' } : null;
    }
  }
}

/** Good and total of an SLI as expressions over raw key_operations rows. */
function rawExpressions(spec: SliSpec): { good: string; total: string; params: Record<string, number> } {
  switch (spec.sli) {
    case 'unwrap_success':
      return { good: 'success', total: '1', params: {} };
    case 'cache_hit':
      return { good: 'cache_hit IS 1', total: 'cache_hit IS NOT NULL', params: {} };
    case 'unwrap_latency':
      return { good: 'latency_ms <= @threshold', total: '1', params: { threshold: spec.thresholdMs ?? 0 } };
  }
}

/** Per-bucket good/total over an aligned range; buckets without unwraps are absent (gaps). */
export function sliSeriesSql(spec: SliSpec, filters: Filters, fromMs: number, toMs: number, bucketMs: number): SqlQuery {
  const f = filterClauses(filters);
  const cols = rollupColumns(spec);
  const range = { from: fromMs, to: toMs };
  if (cols !== null) {
    // Buckets of an hour or more are whole hours (epoch-aligned), so the hourly table answers them.
    const table = bucketMs >= HOUR_MS ? ROLLUP_TABLES.hour : ROLLUP_TABLES.minute;
    return {
      sql: `SELECT (bucket_ms / ${int(bucketMs)}) * ${int(bucketMs)} AS t, SUM(${cols.good}) AS good, SUM(${cols.total}) AS total
        FROM ${table} WHERE operation = 'unwrap' AND bucket_ms >= @from AND bucket_ms < @to${f.sql}
        GROUP BY t HAVING SUM(${cols.total}) > 0 ORDER BY t`,
      params: { ...range, ...f.params },
    };
  }
  const raw = rawExpressions(spec);
  return {
    sql: `SELECT (time_ms / ${int(bucketMs)}) * ${int(bucketMs)} AS t, SUM(${raw.good}) AS good, SUM(${raw.total}) AS total
      FROM key_operations WHERE operation = 'unwrap' AND time_ms >= @from AND time_ms < @to${f.sql}
      GROUP BY t HAVING SUM(${raw.total}) > 0 ORDER BY t`,
    params: { ...range, ...raw.params, ...f.params },
  };
}

/** Good/total over one whole-minute window (an SLO or burn-rate window). */
export function sliWindowSql(spec: SliSpec, filters: Filters, fromMs: number, toMs: number): SqlQuery {
  const f = filterClauses(filters);
  const cols = rollupColumns(spec);
  if (cols === null) {
    const raw = rawExpressions(spec);
    return {
      sql: `SELECT COALESCE(SUM(${raw.good}), 0) AS good, COALESCE(SUM(${raw.total}), 0) AS total
        FROM key_operations WHERE operation = 'unwrap' AND time_ms >= @from AND time_ms < @to${f.sql}`,
      params: { from: fromMs, to: toMs, ...raw.params, ...f.params },
    };
  }
  const segments = planSegments(fromMs, toMs);
  const params: Record<string, string | number> = { ...f.params };
  const parts = segments.map((s, i) => {
    params[`from${i}`] = s.fromMs;
    params[`to${i}`] = s.toMs;
    return `SELECT SUM(${cols.good}) AS good, SUM(${cols.total}) AS total FROM ${s.table}
      WHERE operation = 'unwrap' AND bucket_ms >= @from${i} AND bucket_ms < @to${i}${f.sql}`;
  });
  const body = parts.length > 0 ? parts.join(' UNION ALL ') : 'SELECT 0 AS good, 0 AS total';
  return { sql: `SELECT COALESCE(SUM(good), 0) AS good, COALESCE(SUM(total), 0) AS total FROM (${body})`, params };
}
