import { KMS_EVENT_NAMES, kmsEventInfo } from '../../model/cloudtrail/event-names';
import type { KeyInventoryParams } from './definition';
import { kekKeyId } from '../kms-throttling/sqlite-sql';
import { int, type SqlQuery } from '../../store/sqlite/sql/query';

/** The cryptographic operations: the calls that count as using a key. */
export const DATA_PLANE_EVENT_NAMES: readonly string[] = KMS_EVENT_NAMES.filter((n) => !kmsEventInfo(n).management);

function keyFilters(f: KeyInventoryParams['filters']): SqlQuery {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (f.accountId !== undefined) {
    clauses.push(`json_extract(doc, '$.accountId') = @accountId`);
    params.accountId = f.accountId;
  }
  if (f.region !== undefined) {
    clauses.push(`json_extract(doc, '$.region') = @region`);
    params.region = f.region;
  }
  if (f.state !== undefined) {
    clauses.push(`json_extract(doc, '$.state') = @state`);
    params.state = f.state;
  }
  if (f.keyId !== undefined) {
    clauses.push('key_id = @keyId');
    params.keyId = kekKeyId(f.keyId);
  }
  return { sql: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
}

/** Key states matching the filters, in page order (the inventory is thousands of rows, not millions: no index needed). */
export function keyStatesSql(p: Pick<KeyInventoryParams, 'filters' | 'limit'>): SqlQuery {
  const f = keyFilters(p.filters);
  return {
    sql: `SELECT doc FROM key_states${f.sql}
      ORDER BY json_extract(doc, '$.accountId'), json_extract(doc, '$.region'), key_arn LIMIT ${int(p.limit)}`,
    params: f.params,
  };
}

export function keyStatesCountSql(p: Pick<KeyInventoryParams, 'filters'>): SqlQuery {
  const f = keyFilters(p.filters);
  return { sql: `SELECT COUNT(*) AS n FROM key_states${f.sql}`, params: f.params };
}

/**
 * The top `top` principals of each listed key's cryptographic calls in [from, to): read
 * from ix_audit_events_key_arn_time only, ranked per key in SQL.
 */
export function topPrincipalsSql(keyArnsJson: string, fromMs: number, toMs: number, top: number): SqlQuery {
  const names = DATA_PLANE_EVENT_NAMES.map((n) => `'${n}'`).join(', ');
  return {
    sql: `SELECT key_arn, principal, calls, failures FROM (
        SELECT key_arn, principal, calls, failures,
          ROW_NUMBER() OVER (PARTITION BY key_arn ORDER BY calls DESC, principal) AS rank
        FROM (
          SELECT key_arn, principal, COUNT(*) AS calls, SUM(1 - success) AS failures FROM audit_events
          WHERE key_arn IN (SELECT value FROM json_each(@keys)) AND time_ms >= @from AND time_ms < @to
            AND event_name IN (${names}) AND principal IS NOT NULL
          GROUP BY key_arn, principal
        )
      ) WHERE rank <= ${int(top)} ORDER BY key_arn, rank`,
    params: { keys: keyArnsJson, from: fromMs, to: toMs },
  };
}
