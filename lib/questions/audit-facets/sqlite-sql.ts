import type { QueryNode } from '../../query-language/ast';
import { auditWhere, type AuditRange } from '../../store/sqlite/sql/audit-search';
import type { SqlQuery } from '../../store/sqlite/sql/query';

/**
 * Matching events without any encryption-context key: the context-keys facet's `missing`
 * (auditFacetsSql counts keys, and an event with two keys counts twice, so this is no
 * difference of its rows).
 */
export function contextMissingSql(node: QueryNode, range: AuditRange): SqlQuery {
  const w = auditWhere(node, range);
  return {
    sql: `SELECT COUNT(*) AS n FROM audit_events WHERE ${w.sql}
      AND NOT EXISTS (SELECT 1 FROM audit_event_context c WHERE c.time_ms = audit_events.time_ms AND c.event_seq = audit_events.seq)`,
    params: w.params,
  };
}
