import type { SqliteAnswerOf } from '../define';
import type { filterValuesQuestion } from './definition';
import { KEY_OPERATION_KINDS } from '../../model/key-operation';
import { toMs } from '../common';
import type { FilterValuesParams, FilterValuesResult } from './definition';
import { HOUR_MS, ROLLUP_TABLES } from '../../store/sqlite/rollups';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import { int, type SqlQuery } from '../../store/sqlite/sql/query';

type Dimension = 'service_id' | 'tenant_id' | 'kek_ref';

/**
 * Distinct values of one dimension from the hourly rollup (a few rows per hour instead
 * of every operation). The range widens to whole hours: a value seen in the hour that
 * contains `from` is offered too, which is what a filter picker wants.
 */
export function filterValuesSql(dim: Dimension, fromMs: number, toMs: number, limit: number): SqlQuery {
  const ops = KEY_OPERATION_KINDS.map((o) => `'${o}'`).join(', ');
  return {
    sql: `SELECT d.value AS value FROM dict d WHERE d.id IN (
        SELECT DISTINCT ${dim} FROM ${ROLLUP_TABLES.hour}
        WHERE operation IN (${ops}) AND bucket_ms >= @from AND bucket_ms < @to)
      ORDER BY d.value LIMIT ${int(limit + 1)}`,
    params: { from: Math.floor(fromMs / HOUR_MS) * HOUR_MS, to: toMs },
  };
}

export async function readFilterValues(s: ReadSession, p: FilterValuesParams): Promise<FilterValuesResult> {
  let truncated = false;
  const list = async (dim: Dimension): Promise<string[]> => {
    const rows = (await s.all<{ value: string }>(filterValuesSql(dim, toMs(p.from), toMs(p.to), p.limit))).map((r) => r.value);
    if (rows.length > p.limit) truncated = true;
    return rows.slice(0, p.limit);
  };
  const services = await list('service_id');
  const tenants = await list('tenant_id');
  const kekIds = await list('kek_ref');
  return { services, tenants, kekIds, truncated };
}

export const sqliteAnswer: SqliteAnswerOf<typeof filterValuesQuestion> = (ctx, p) => ctx.session((s) => readFilterValues(s, p));
