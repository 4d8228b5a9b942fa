import type { AuditEvent } from '../../model/audit-event';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import { auditCountSql } from '../../store/sqlite/sql/audit-search';
import { TOTAL_CAP, type AuditRow } from '../audit-common';
import type { SqliteAnswerOf } from '../define';
import { decodeAuditCursor, encodeAuditCursor } from './cursor';
import type { AuditSearchParams, AuditSearchResult, auditSearchQuestion } from './definition';
import { auditSearchPageSql } from './sqlite-sql';

type Row = { time_ms: number; id: string; doc: string };

/** The row of the results table: the stored event without its raw record. */
export function rowOf(doc: string): AuditRow {
  const { raw: _raw, ...row } = JSON.parse(doc) as AuditEvent;
  return row;
}

export async function readAuditSearch(s: ReadSession, p: AuditSearchParams): Promise<AuditSearchResult> {
  const range = { fromMs: Date.parse(p.from), toMs: Date.parse(p.to) };
  const after = p.after === undefined ? undefined : decodeAuditCursor(p.after);
  const rows = await s.all<Row>(auditSearchPageSql(p.query, range, p.limit, after));
  const page = rows.slice(0, p.limit);
  const last = page[page.length - 1];
  const next = rows.length > p.limit && last !== undefined ? encodeAuditCursor({ timeMs: last.time_ms, id: last.id }) : null;
  let total: AuditSearchResult['total'] = null;
  if (p.withTotal) {
    const c = (await s.get<{ n: number; exact: number }>(auditCountSql(p.query, range, TOTAL_CAP))) ?? { n: 0, exact: 1 };
    // The rollups count exactly past the cap; the answer is capped as Elasticsearch caps it.
    total = c.exact === 1 && c.n <= TOTAL_CAP ? { value: c.n, relation: 'eq' } : { value: TOTAL_CAP, relation: 'gte' };
  }
  return { events: page.map((r) => rowOf(r.doc)), total, next };
}

export const sqliteAnswer: SqliteAnswerOf<typeof auditSearchQuestion> = async (ctx, p) => {
  // A malformed cursor is refused before a read is scheduled.
  if (p.after !== undefined) decodeAuditCursor(p.after);
  return ctx.session((s) => readAuditSearch(s, p));
};
