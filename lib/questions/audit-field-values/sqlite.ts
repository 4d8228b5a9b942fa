import { HOUR_MS } from '../../store/sqlite/sql/audit-columns';
import { prefixUpper } from '../../store/sqlite/sql/audit-filter';
import type { SqlQuery } from '../../store/sqlite/sql/query';
import type { SqliteAnswerOf } from '../define';
import type { AuditFieldValuesParams, auditFieldValuesQuestion } from './definition';

/**
 * From the hourly facet rollup over every event (scope ''), which the writer keeps for
 * exactly these fields: a few rows per hour and value, whatever the range holds. The prefix
 * is a range on the rollup's value (BINARY order), so no LIKE escaping is needed.
 */
export function fieldValuesSql(p: AuditFieldValuesParams): SqlQuery {
  const upper = p.prefix === '' ? null : prefixUpper(p.prefix);
  return {
    sql: `SELECT value, SUM(count) AS count FROM audit_facets_1h
      WHERE scope = '' AND scope_value = '' AND field = @field AND bucket_ms >= @from AND bucket_ms < @to
        AND value >= @prefix${upper === null ? '' : ' AND value < @upper'}
      GROUP BY value ORDER BY count DESC, value LIMIT @limit`,
    params: {
      field: p.field, prefix: p.prefix, limit: p.limit, ...(upper === null ? {} : { upper }),
      from: Math.floor(Date.parse(p.from) / HOUR_MS) * HOUR_MS, to: Math.ceil(Date.parse(p.to) / HOUR_MS) * HOUR_MS,
    },
  };
}

export const sqliteAnswer: SqliteAnswerOf<typeof auditFieldValuesQuestion> = (ctx, p) =>
  ctx.session(async (s) => ({ field: p.field, values: await s.all<{ value: string; count: number }>(fieldValuesSql(p)) }));
