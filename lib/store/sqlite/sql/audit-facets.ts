import type { QueryNode } from '../../../query-language/ast';
import { AUDIT_FACET_FIELDS, CONTEXT_KEYS_FACET, type AuditFacetField } from './audit-columns';
import { compileAuditFilter } from './audit-filter';
import { AUDIT_ROLLUP_SQL, rollupPlan, type AuditRange } from './audit-search';
import { int, type SqlQuery } from './query';

/** Group by the stored column (a dict id is cheaper to group than its text), then name the groups. */
const GROUPS: Readonly<Record<AuditFacetField, { key: string; label: (k: string) => string; where?: string }>> = {
  'event.action': { key: 'event_name', label: (k) => k },
  'event.outcome': { key: 'success', label: (k) => `CASE ${k} WHEN 1 THEN 'success' ELSE 'failure' END` },
  'cloud.account.id': { key: 'account_ref', label: dictValue },
  'cloud.region': { key: 'region_ref', label: dictValue },
  'keyscope.principal.caller': { key: 'principal', label: (k) => k },
  'source.ip': { key: 'source_ip', label: (k) => k, where: 'source_ip_bin IS NOT NULL' },
  'user_agent.original': { key: 'user_agent_ref', label: dictValue },
  'kms.key.arn': { key: 'key_arn', label: (k) => k },
  'error.code': { key: 'error_code_written', label: (k) => k },
};
function dictValue(k: string): string {
  return `(SELECT value FROM dict WHERE id = ${k})`;
}

const FIELDS_SQL = ["''", ...AUDIT_FACET_FIELDS.map((f) => `'${f}'`), `'${CONTEXT_KEYS_FACET}'`].join(', ');
const M_COLUMNS = `seq, time_ms, success, ${[...new Set(AUDIT_FACET_FIELDS.map((f) => GROUPS[f].key))].join(', ')}, source_ip_bin`;

/** Facet cells (field, value, count, failures) over the events in `m`; the '' field is the total. */
function scanCells(m: string): string {
  const per = AUDIT_FACET_FIELDS.map((f) => {
    const g = GROUPS[f];
    const where = `${g.key} IS NOT NULL${g.where === undefined ? '' : ` AND ${g.where}`}`;
    return `SELECT '${f}' AS field, ${g.label('k')} AS value, n, fails FROM (
      SELECT ${g.key} AS k, COUNT(*) AS n, SUM(1 - success) AS fails FROM ${m} WHERE ${where} GROUP BY ${g.key})`;
  });
  const context = `SELECT '${CONTEXT_KEYS_FACET}', p.key, COUNT(*), SUM(1 - m.success) FROM ${m} m
    JOIN audit_event_context c ON c.time_ms = m.time_ms AND c.event_seq = m.seq JOIN audit_context_pairs p ON p.id = c.pair_id GROUP BY p.key`;
  return [`SELECT '' AS field, '' AS value, COUNT(*) AS n, COALESCE(SUM(1 - success), 0) AS fails FROM ${m}`, ...per, context].join('\n  UNION ALL ');
}

/**
 * Facet counts over the whole result: per facet field (lib/store/sqlite/sql/audit-columns.ts)
 * the `top` values by count (ties by value), then one row with value NULL counting the rest
 * ("other"); field '' is the total. With the rollups' scope (every event, one key, one
 * principal) whole hours come from audit_facets_1h and only the partial hours at either
 * end are scanned; otherwise the matching events are read once into a temporary table.
 * Rows: field, value, count, failures.
 */
export function auditFacetsSql(node: QueryNode, range: AuditRange, top: number): SqlQuery {
  const f = compileAuditFilter(node);
  const params = { from: range.fromMs, to: range.toMs, ...f.params };
  const plan = rollupPlan(node, range);
  const pick = (where: string) => `SELECT ${M_COLUMNS} FROM audit_events WHERE ${where} AND ${f.sql}`;
  const r = AUDIT_ROLLUP_SQL;
  const cells = plan === null
    ? `m AS MATERIALIZED (${pick(r.range)}),
      cells(field, value, n, fails) AS (${scanCells('m')})`
    : `m AS MATERIALIZED (${pick(r.head)} UNION ALL ${pick(r.tail)}),
      cells(field, value, n, fails) AS (
        SELECT field, value, count, failures FROM audit_facets_1h WHERE field IN (${FIELDS_SQL}) AND ${r.mid}
        UNION ALL ${scanCells('m')})`;
  const t = int(top);
  return {
    sql: `WITH ${cells},
      totals AS (SELECT field, value, SUM(n) AS n, SUM(fails) AS fails FROM cells GROUP BY field, value),
      ranked AS (SELECT field, value, n, fails, ROW_NUMBER() OVER (PARTITION BY field ORDER BY n DESC, value) AS rank FROM totals)
    SELECT field, value, count, failures FROM (
      SELECT field, value, n AS count, fails AS failures FROM ranked WHERE rank <= ${t} OR field = ''
      UNION ALL
      SELECT field, NULL, SUM(n), SUM(fails) FROM ranked WHERE rank > ${t} AND field <> '' GROUP BY field)
    ORDER BY field, value IS NULL, count DESC, value`,
    params: plan === null ? params : { ...params, ...r.params(plan) },
  };
}
