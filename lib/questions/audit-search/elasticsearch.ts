import type { AuditEvent } from '../../model/audit-event';
import type { IndexNames } from '../../store/elasticsearch/names';
import type { Searcher } from '../../store/elasticsearch/search';
import { TOTAL_CAP, type AuditRow } from '../audit-common';
import type { ElasticsearchAnswerOf } from '../define';
import { decodeAuditCursor, encodeAuditCursor } from './cursor';
import type { AuditSearchParams, AuditSearchResult, auditSearchQuestion } from './definition';
import { auditSearchRequest } from './elasticsearch-request';

type RowSource = { keyscope: { record: Omit<AuditEvent, 'raw'> & { raw?: unknown } } };

export function rowOfSource(source: unknown): AuditRow {
  const { raw: _raw, ...row } = (source as RowSource).keyscope.record;
  return row;
}

export async function readAuditSearch(search: Searcher, names: IndexNames, p: AuditSearchParams): Promise<AuditSearchResult> {
  const after = p.after === undefined ? undefined : decodeAuditCursor(p.after);
  const res = await search(auditSearchRequest(p, after, names.alias('audit-events')));
  const hits = res.hits.hits;
  const page = hits.slice(0, p.limit);
  const last = page[page.length - 1];
  const next = hits.length > p.limit && last !== undefined ? encodeAuditCursor({ timeMs: Number(last.sort?.[0]), id: String(last.sort?.[1]) }) : null;
  let total: AuditSearchResult['total'] = null;
  if (p.withTotal) {
    const t = res.hits.total;
    const value = typeof t === 'number' ? t : (t?.value ?? 0);
    total = typeof t === 'object' && t.relation === 'gte' ? { value: TOTAL_CAP, relation: 'gte' } : { value, relation: 'eq' };
  }
  return { events: page.map((h) => rowOfSource(h._source)), total, next };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof auditSearchQuestion> = (ctx, p) => readAuditSearch(ctx.search, ctx.names, p);
