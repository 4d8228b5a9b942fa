import { planFor } from '../buckets';
import type { SqliteAnswerOf } from '../define';
import { int } from '../../store/sqlite/sql/query';
import { usageSeries, type keyUsageQuestion } from './definition';

/** Counted from ix_audit_events_key_arn_time alone (it holds time, action and outcome). */
export const sqliteAnswer: SqliteAnswerOf<typeof keyUsageQuestion> = (ctx, p) => {
  const plan = planFor(p);
  const b = int(plan.bucketMs);
  return ctx.session(async (s) => {
    const rows = await s.all<{ t: number; action: string; success: number; n: number }>({
      sql: `SELECT (time_ms / ${b}) * ${b} AS t, event_name AS action, success, COUNT(*) AS n FROM audit_events
        WHERE key_arn = @key AND time_ms >= @from AND time_ms < @to GROUP BY t, event_name, success`,
      params: { key: p.keyArn, from: Date.parse(p.from), to: Date.parse(p.to) },
    });
    return usageSeries(p, rows.map((r) => ({ t: r.t, action: r.action, failed: r.success === 0, n: r.n })));
  });
};
