import type { QueryNode } from '../../query-language/ast';
import { auditWhere, type AuditRange } from '../../store/sqlite/sql/audit-search';
import { int, type SqlQuery } from '../../store/sqlite/sql/query';
import type { AuditCursor } from './cursor';

/**
 * One page newest first by (time, event id), the definition's order, which Elasticsearch
 * sorts by too (the builders' auditPageSql breaks ties by seq, an order only SQLite has).
 * The time bound comes first so a time-leading index seeks to the page; ties within a
 * millisecond are few, so ordering them by id costs a small sort. One row more than the
 * page tells whether there is a next page.
 */
export function auditSearchPageSql(node: QueryNode, range: AuditRange, limit: number, after: AuditCursor | undefined): SqlQuery {
  const w = auditWhere(node, range);
  const keyset = after === undefined ? '' : ' AND time_ms <= @at AND (time_ms < @at OR id < @aid)';
  return {
    sql: `SELECT time_ms, id, doc FROM audit_events WHERE ${w.sql}${keyset} ORDER BY time_ms DESC, id DESC LIMIT ${int(limit + 1)}`,
    params: { ...w.params, ...(after === undefined ? {} : { at: after.timeMs, aid: after.id }) },
  };
}
