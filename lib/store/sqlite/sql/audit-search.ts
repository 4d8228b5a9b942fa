import type { QueryNode } from '../../../query-language/ast';
import { resolveField } from '../../../query-language/fields';
import { HOUR_MS, ROLLUP_SCOPES, type RollupScope } from './audit-columns';
import { compileAuditFilter } from './audit-filter';
import { int, type SqlQuery } from './query';

/** [fromMs, toMs) of event time. */
export type AuditRange = { fromMs: number; toMs: number };
/** Where the last page ended: keyset paging newest first, by time then insertion order (seq). */
export type AuditCursor = { timeMs: number; seq: number };

const RANGE = 'time_ms >= @from AND time_ms < @to';

/** The events of the range matching the tree, as a WHERE clause (no leading WHERE). */
export function auditWhere(node: QueryNode, range: AuditRange): SqlQuery {
  const f = compileAuditFilter(node);
  return { sql: `${RANGE} AND ${f.sql}`, params: { from: range.fromMs, to: range.toMs, ...f.params } };
}

/**
 * One page of matching events, newest first. The cursor bounds time from above first, so
 * the time-leading (or field, time) index seeks to the page instead of skipping past it.
 * Also the export cursor: call again with the last row's (time_ms, seq) until a page is short.
 */
export function auditPageSql(node: QueryNode, range: AuditRange, limit: number, after?: AuditCursor): SqlQuery {
  const w = auditWhere(node, range);
  const keyset = after === undefined ? '' : ' AND time_ms <= @at AND (time_ms < @at OR seq < @as)';
  return {
    sql: `SELECT seq, time_ms, doc FROM audit_events WHERE ${w.sql}${keyset} ORDER BY time_ms DESC, seq DESC LIMIT ${int(limit)}`,
    params: { ...w.params, ...(after === undefined ? {} : { at: after.timeMs, as: after.seq }) },
  };
}

/** The cursor after a page's rows (null when the page was short: the result is exhausted). */
export function nextAuditCursor(rows: ReadonlyArray<{ seq: number; time_ms: number }>, limit: number): AuditCursor | null {
  const last = rows[rows.length - 1];
  return rows.length < limit || last === undefined ? null : { timeMs: last.time_ms, seq: last.seq };
}

/**
 * Where the tree is "every event", or one key, or one principal, the hourly rollups answer
 * whole hours; only the partial hours at either end are read from audit_events.
 */
export type RollupPlan = { scope: RollupScope; value: string; midFrom: number; midTo: number };

export function rollupPlan(node: QueryNode, range: AuditRange): RollupPlan | null {
  const midFrom = Math.ceil(range.fromMs / HOUR_MS) * HOUR_MS;
  const midTo = Math.floor(range.toMs / HOUR_MS) * HOUR_MS;
  if (midFrom >= midTo) return null;
  if (node.kind === 'all') return { scope: '', value: '', midFrom, midTo };
  if (node.kind !== 'term' || typeof node.value !== 'string') return null;
  const name = resolveField(node.field)?.name;
  const scope = ROLLUP_SCOPES.find((s) => s === name);
  return scope === undefined ? null : { scope, value: node.value, midFrom, midTo };
}

const rollupParams = (p: RollupPlan) => ({ s: p.scope, sv: p.value, mf: p.midFrom, mt: p.midTo });
const ROLLUP_MID = 'scope = @s AND scope_value = @sv AND bucket_ms >= @mf AND bucket_ms < @mt';
const HEAD = 'time_ms >= @from AND time_ms < @mf';
const TAIL = 'time_ms >= @mt AND time_ms < @to';

/**
 * How many events match: exact from the rollups where they apply, else counted up to `cap`
 * (`exact` 0 then means "at least cap"), so a broad search never counts ten million rows.
 */
export function auditCountSql(node: QueryNode, range: AuditRange, cap: number): SqlQuery {
  const f = compileAuditFilter(node);
  const params = { from: range.fromMs, to: range.toMs, ...f.params };
  const plan = rollupPlan(node, range);
  if (plan !== null) {
    return {
      sql: `SELECT (SELECT COALESCE(SUM(count), 0) FROM audit_facets_1h WHERE field = '' AND ${ROLLUP_MID})
        + (SELECT COUNT(*) FROM audit_events WHERE ${HEAD} AND ${f.sql})
        + (SELECT COUNT(*) FROM audit_events WHERE ${TAIL} AND ${f.sql}) AS n, 1 AS exact`,
      params: { ...params, ...rollupParams(plan) },
    };
  }
  return {
    sql: `SELECT MIN(n, ${int(cap)}) AS n, n <= ${int(cap)} AS exact FROM (
        SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit_events WHERE ${RANGE} AND ${f.sql} LIMIT ${int(cap + 1)}))`,
    params,
  };
}

/** Matching events (and failures among them) per bucket of `intervalMs`, epoch-aligned; empty buckets are absent. */
export function auditHistogramSql(node: QueryNode, range: AuditRange, intervalMs: number): SqlQuery {
  const f = compileAuditFilter(node);
  const i = int(intervalMs);
  const params = { from: range.fromMs, to: range.toMs, ...f.params };
  const scan = (where: string) =>
    `SELECT (time_ms / ${i}) * ${i} AS t, COUNT(*) AS count, SUM(1 - success) AS failures FROM audit_events WHERE ${where} AND ${f.sql} GROUP BY t`;
  const plan = intervalMs % HOUR_MS === 0 ? rollupPlan(node, range) : null;
  if (plan === null) return { sql: `${scan(RANGE)} ORDER BY t`, params };
  return {
    sql: `SELECT t, SUM(count) AS count, SUM(failures) AS failures FROM (
        SELECT (bucket_ms / ${i}) * ${i} AS t, count, failures FROM audit_facets_1h WHERE field = '' AND ${ROLLUP_MID}
        UNION ALL ${scan(HEAD)}
        UNION ALL ${scan(TAIL)}
      ) GROUP BY t ORDER BY t`,
    params: { ...params, ...rollupParams(plan) },
  };
}

export const AUDIT_ROLLUP_SQL = { mid: ROLLUP_MID, head: HEAD, tail: TAIL, range: RANGE, params: rollupParams };
