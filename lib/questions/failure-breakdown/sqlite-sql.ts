import type { KeyOperationKind } from '../../model/key-operation';
import type { Filters } from '../common';
import type { FailureBreakdownParams } from './definition';
import { filterClauses, type SqlQuery } from '../../store/sqlite/sql/query';

/**
 * Failure counts per group in [from, to). INDEXED BY pins the partial index of failures:
 * without statistics the planner would pick the operation/time index when an operation
 * is named, and then visit every operation in range rather than only the failed ones.
 */
export function failureGroupsSql(by: FailureBreakdownParams['by'], operation: KeyOperationKind | undefined, filters: Filters, fromMs: number, toMs: number): SqlQuery {
  const f = filterClauses(filters);
  const op = operation === undefined ? '' : ' AND operation = @operation';
  const where = `WHERE success = 0 AND time_ms >= @from AND time_ms < @to${op}${f.sql}`;
  const params = { from: fromMs, to: toMs, ...(operation === undefined ? {} : { operation }), ...f.params };
  if (by === 'errorClass') {
    return { sql: `SELECT error_class AS key, COUNT(*) AS count FROM key_operations INDEXED BY ix_key_operations_failures ${where} GROUP BY error_class`, params };
  }
  const col = by === 'service' ? 'service_id' : 'kek_ref';
  // Group by the interned id (cheap), then name the groups.
  return {
    sql: `SELECT d.value AS key, g.count AS count
      FROM (SELECT ${col} AS ref, COUNT(*) AS count FROM key_operations INDEXED BY ix_key_operations_failures ${where} GROUP BY ${col}) g
      JOIN dict d ON d.id = g.ref`,
    params,
  };
}
