import type { AuditEvent } from '../../model/audit-event';
import type { SqliteAnswerOf } from '../define';
import type { auditEventQuestion } from './definition';

/** The stored document is the whole event, raw record included (by the unique id index). */
export const sqliteAnswer: SqliteAnswerOf<typeof auditEventQuestion> = (ctx, p) =>
  ctx.session(async (s) => {
    const row = await s.get<{ doc: string }>({ sql: 'SELECT doc FROM audit_events WHERE id = @id', params: { id: p.id } });
    return { event: row === undefined ? null : (JSON.parse(row.doc) as AuditEvent) };
  });
