import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { nearestRank, percentilesOfSorted } from '../../lib/questions/latency-percentiles/definition';
import { migrate } from '../../lib/store/sqlite/migrations';
import { LATENCY_LADDER_MS } from '../../lib/store/sqlite/rollups';
import { failureGroupsSql } from '../../lib/questions/failure-breakdown/sqlite-sql';
import { latencyRunsSql, operationCountSql } from '../../lib/questions/latency-percentiles/sqlite-sql';
import { filterClauses, int } from '../../lib/store/sqlite/sql/query';
import { planSegments } from '../../lib/store/sqlite/sql/segments';
import { rollupColumns, sliSeriesSql, sliWindowSql } from '../../lib/store/sqlite/sql/sli';
import { kekKeyId, throttledAuditSql, throttledOperationsSql } from '../../lib/questions/kms-throttling/sqlite-sql';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2026, 2, 1);

describe('pure SQL builders', () => {
  it('bind filter values and never inline them', () => {
    const evil = "x' OR 1=1 --";
    const q = filterClauses({ service: evil, kekId: 'k' });
    expect(q.sql).not.toContain(evil);
    expect(q.sql).toBe(' AND service_id = (SELECT id FROM dict WHERE value = @f_service) AND kek_ref = (SELECT id FROM dict WHERE value = @f_kek)');
    expect(q.params).toEqual({ f_service: evil, f_kek: 'k' });
    const f = failureGroupsSql('service', 'unwrap', { tenant: evil }, 0, 1);
    expect(f.sql).not.toContain(evil);
    expect(f.params).toMatchObject({ operation: 'unwrap', f_tenant: evil });
  });

  it('inline only safe integers', () => {
    expect(int(60_000)).toBe('60000');
    expect(() => int(1.5)).toThrow();
    expect(() => int(Number.NaN)).toThrow();
  });

  it('read rollups for count SLIs and ladder thresholds, raw rows otherwise', () => {
    expect(rollupColumns({ sli: 'unwrap_success' })).toEqual({ good: 'success', total: 'total' });
    expect(rollupColumns({ sli: 'cache_hit' })).toEqual({ good: 'cache_hit', total: 'cache_known' });
    expect(rollupColumns({ sli: 'unwrap_latency', thresholdMs: 200 })).toEqual({ good: 'lat_le_200', total: 'total' });
    expect(rollupColumns({ sli: 'unwrap_latency', thresholdMs: 180 })).toBeNull();
    expect(sliSeriesSql({ sli: 'unwrap_success' }, {}, T, T + HOUR, MIN).sql).toContain('FROM op_rollup_1m');
    expect(sliSeriesSql({ sli: 'unwrap_success' }, {}, T, T + 30 * 24 * HOUR, 3 * HOUR).sql).toContain('FROM op_rollup_1h');
    const raw = sliSeriesSql({ sli: 'unwrap_latency', thresholdMs: 180 }, {}, T, T + HOUR, MIN);
    expect(raw.sql).toContain('FROM key_operations');
    expect(raw.params.threshold).toBe(180);
    expect(LATENCY_LADDER_MS).toContain(200);
  });

  it('split a window into minute edges and whole hours', () => {
    expect(planSegments(T + 5 * MIN, T + 3 * HOUR + 7 * MIN)).toEqual([
      { table: 'op_rollup_1m', fromMs: T + 5 * MIN, toMs: T + HOUR },
      { table: 'op_rollup_1h', fromMs: T + HOUR, toMs: T + 3 * HOUR },
      { table: 'op_rollup_1m', fromMs: T + 3 * HOUR, toMs: T + 3 * HOUR + 7 * MIN },
    ]);
    expect(planSegments(T, T + 2 * HOUR)).toEqual([{ table: 'op_rollup_1h', fromMs: T, toMs: T + 2 * HOUR }]);
    expect(planSegments(T + MIN, T + 5 * MIN)).toEqual([{ table: 'op_rollup_1m', fromMs: T + MIN, toMs: T + 5 * MIN }]);
    expect(planSegments(T, T)).toEqual([]);
    expect(() => planSegments(T + 1, T + HOUR)).toThrow(/whole minutes/);
    expect(sliWindowSql({ sli: 'unwrap_success' }, {}, T + 5 * MIN, T + 3 * HOUR + 7 * MIN).sql.match(/UNION ALL/g)).toHaveLength(2);
  });

  it('read latencies with their bucket in time order, estimate rows from whole hours, and rank by integer nearest rank', () => {
    const runs = latencyRunsSql('unwrap', { tenant: 't' }, T, T + HOUR, MIN);
    expect(runs.sql).toMatch(/^SELECT \(time_ms \/ 60000\) \* 60000 AS t, latency_ms .* ORDER BY time_ms$/s);
    const estimate = operationCountSql('unwrap', { tenant: 't' }, T + 5 * MIN, T + HOUR);
    expect(estimate.sql).toContain('FROM op_rollup_1h');
    // Widened to the hour that holds `from`: an upper bound, never an undercount.
    expect(estimate.params).toMatchObject({ from: T, to: T + HOUR, f_tenant: 't' });
    expect([1, 2, 19, 20, 21, 100, 101].map((n) => nearestRank(n, 9500))).toEqual([1, 2, 19, 19, 20, 95, 96]);
    expect(nearestRank(7, 5000)).toBe(4);
    expect(percentilesOfSorted([3])).toEqual({ count: 1, p50: 3, p95: 3, p99: 3 });
    expect(percentilesOfSorted([])).toEqual({ count: null, p50: null, p95: null, p99: null });
  });

  it('match audit events to a KEK by key id, whether the filter names an ARN or an id', () => {
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(kekKeyId(`arn:aws:kms:us-east-1:111122223333:key/${id}`)).toBe(id);
    expect(kekKeyId(id)).toBe(id);
    // What is not a KMS key reference (another key manager's id) is matched as written.
    expect(kekKeyId('vault:transit/orders')).toBe('vault:transit/orders');
    expect(throttledAuditSql({ kekId: `arn:aws:kms:eu-west-1:111122223333:key/${id}` }, 0, 1, MIN).params).toMatchObject({ keyId: id, code: 'ThrottlingException' });
  });
});

describe('query plans on the real schema', () => {
  const db = new Database(':memory:');
  migrate(db, T);
  const plan = (q: { sql: string; params: Record<string, string | number> }): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as { detail: string }[]).map((r) => r.detail).join('\n');

  it('never scan the operations or audit tables: each on-call query searches an index or a rollup key', () => {
    const plans = {
      sliRollup: plan(sliSeriesSql({ sli: 'unwrap_success' }, { service: 'a' }, T, T + HOUR, MIN)),
      sliRaw: plan(sliSeriesSql({ sli: 'unwrap_latency', thresholdMs: 180 }, { service: 'a' }, T, T + HOUR, MIN)),
      sloWindow: plan(sliWindowSql({ sli: 'cache_hit' }, {}, T + 5 * MIN, T + 30 * 24 * HOUR)),
      latencyEstimate: plan(operationCountSql('unwrap', { tenant: 'x' }, T, T + HOUR)),
      latencyValues: plan(latencyRunsSql('unwrap', { tenant: 'x' }, T, T + HOUR, MIN)),
      failures: plan(failureGroupsSql('kekId', 'unwrap', { service: 's' }, T, T + HOUR)),
      throttledOps: plan(throttledOperationsSql({}, T, T + HOUR, MIN)),
      throttledAudit: plan(throttledAuditSql({}, T, T + HOUR, MIN)),
      throttledAuditByKek: plan(throttledAuditSql({ kekId: 'k' }, T, T + HOUR, MIN)),
    };
    for (const [name, p] of Object.entries(plans)) expect(p, name).not.toMatch(/SCAN (key_operations|audit_events|op_rollup)/);
    expect(plans.sliRollup).toContain('SEARCH op_rollup_1m USING PRIMARY KEY');
    expect(plans.sloWindow).toContain('SEARCH op_rollup_1h USING PRIMARY KEY');
    expect(plans.sliRaw).toContain('COVERING INDEX ix_key_operations_op_time');
    expect(plans.latencyEstimate).toContain('SEARCH op_rollup_1h USING PRIMARY KEY');
    // The values come in index order: no sort in SQL.
    expect(plans.latencyValues).toContain('COVERING INDEX ix_key_operations_op_time');
    expect(plans.latencyValues).not.toContain('TEMP B-TREE');
    expect(plans.failures).toContain('COVERING INDEX ix_key_operations_failures');
    expect(plans.throttledAudit).toContain('COVERING INDEX ix_audit_events_time');
    expect(plans.throttledAuditByKek).toContain('COVERING INDEX ix_audit_events_key_time');
  });
});
