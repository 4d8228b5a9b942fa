import { kekLabel } from '../../model/kek-ref';
import { int, type SqlQuery } from '../../store/sqlite/sql/query';
import { KEY_CHANGE_EVENTS } from './definition';

const CHANGES = KEY_CHANGE_EVENTS.map((n) => `'${n}'`).join(', ');
const RANGE = 'key_arn = @key AND time_ms >= @from AND time_ms < @to';

export function keyStateSql(keyArn: string): SqlQuery {
  return { sql: 'SELECT doc FROM key_states WHERE key_arn = @key', params: { key: keyArn } };
}

/** Whether any audit event names the key (one seek on ix_audit_events_key_arn_time). */
export function keyInAuditSql(keyArn: string): SqlQuery {
  return { sql: 'SELECT EXISTS (SELECT 1 FROM audit_events WHERE key_arn = @key) AS seen', params: { key: keyArn } };
}

/**
 * The key's management changes in the range, newest first (ties by event id, as on every
 * backend): the event names are in ix_audit_events_key_arn_time, so only changes are read from the table.
 */
export function keyChangesSql(keyArn: string, fromMs: number, toMs: number, limit: number): SqlQuery {
  return {
    sql: `SELECT id, time_ms, event_name, principal, source_ip, success, error_code_written FROM audit_events
      WHERE ${RANGE} AND event_name IN (${CHANGES}) ORDER BY time_ms DESC, id DESC LIMIT ${int(limit)}`,
    params: { key: keyArn, from: fromMs, to: toMs },
  };
}

export function keyChangesCountSql(keyArn: string, fromMs: number, toMs: number): SqlQuery {
  return { sql: `SELECT COUNT(*) AS n FROM audit_events WHERE ${RANGE} AND event_name IN (${CHANGES})`, params: { key: keyArn, from: fromMs, to: toMs } };
}

/**
 * DEK records per (KEK version, rotation status) of records naming the key by its ARN or
 * bare key id (an alias may point elsewhere tomorrow, so alias names are not counted): ix_dek_records_kek.
 */
export function dekRecordsSql(keyArn: string): SqlQuery {
  return {
    sql: `SELECT (SELECT value FROM dict WHERE id = kek_version_ref) AS version, rotation_status AS status, COUNT(*) AS n FROM dek_records
      WHERE kek_ref IN (SELECT id FROM dict WHERE value IN (@key, @keyId)) GROUP BY kek_version_ref, rotation_status`,
    params: { key: keyArn, keyId: kekLabel(keyArn) },
  };
}
