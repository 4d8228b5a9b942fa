import { KEY_OPERATION_KINDS } from '../../model/key-operation';
import type { Filters } from '../common';
import { THROTTLING_ERROR_CODE, kekKeyId } from './definition';

// Re-exported: the key-id rule is shared by every backend and lives with the question.
export { kekKeyId };
import { HOUR_MS, ROLLUP_TABLES } from '../../store/sqlite/rollups';
import { filterClauses, int, type SqlQuery } from '../../store/sqlite/sql/query';

/** Throttled and total operations per bucket, from rollups (every operation kind). */
export function throttledOperationsSql(filters: Filters, fromMs: number, toMs: number, bucketMs: number): SqlQuery {
  const f = filterClauses(filters);
  const table = bucketMs >= HOUR_MS ? ROLLUP_TABLES.hour : ROLLUP_TABLES.minute;
  // Naming every operation lets the (operation, bucket_ms, ...) key serve the range.
  const ops = KEY_OPERATION_KINDS.map((o) => `'${o}'`).join(', ');
  return {
    sql: `SELECT (bucket_ms / ${int(bucketMs)}) * ${int(bucketMs)} AS t, SUM(throttled) AS count, SUM(total) AS total
      FROM ${table} WHERE operation IN (${ops}) AND bucket_ms >= @from AND bucket_ms < @to${f.sql}
      GROUP BY t ORDER BY t`,
    params: { from: fromMs, to: toMs, ...f.params },
  };
}


/** CloudTrail calls with ThrottlingException, and all calls, per bucket (covered by ix_audit_events_time). */
export function throttledAuditSql(filters: Filters, fromMs: number, toMs: number, bucketMs: number): SqlQuery {
  const kek = filters.kekId === undefined ? '' : ' AND key_id = @keyId';
  return {
    sql: `SELECT (time_ms / ${int(bucketMs)}) * ${int(bucketMs)} AS t, SUM(error_code IS @code) AS count, COUNT(*) AS total
      FROM audit_events WHERE time_ms >= @from AND time_ms < @to${kek}
      GROUP BY t ORDER BY t`,
    params: { from: fromMs, to: toMs, code: THROTTLING_ERROR_CODE, ...(filters.kekId === undefined ? {} : { keyId: kekKeyId(filters.kekId) }) },
  };
}
