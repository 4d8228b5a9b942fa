import { int, type SqlQuery } from './query';

/** What audit_principal_seen tracks per principal (migration 8); context values as `kms.encryption_context.<key>`. */
export const SEEN_FIELDS = ['kms.key.arn', 'source.address', 'cloud.region', 'user_agent.original'] as const;

/**
 * A principal page's first and last seen (the row with field '') and what is new: every
 * key, source, Region, user agent and encryption-context value the principal was first
 * seen with at or after `newSinceMs` (e.g. now − 7 days), newest first. One primary-key
 * range of a small table, whatever the number of events. Rows: field, value, first_ms, last_ms, count.
 */
export function principalSeenSql(principal: string, newSinceMs: number): SqlQuery {
  return {
    sql: `SELECT field, value, first_ms, last_ms, count FROM audit_principal_seen
      WHERE principal = @principal AND (field = '' OR first_ms >= @since)
      ORDER BY field <> '', first_ms DESC, field, value`,
    params: { principal, since: newSinceMs },
  };
}

/** Every principal first seen at or after `sinceMs` (new callers across the account), by ix_audit_principal_seen_first. */
export function newPrincipalsSql(sinceMs: number, limit: number): SqlQuery {
  return {
    sql: `SELECT principal, first_ms, last_ms, count FROM audit_principal_seen WHERE first_ms >= @since AND field = ''
      ORDER BY first_ms DESC, principal LIMIT ${int(limit)}`,
    params: { since: sinceMs },
  };
}
