import type { AuditEvent } from '../../model/audit-event';
import type { ElasticsearchAnswerOf } from '../define';
import type { auditEventQuestion } from './definition';

/** By event.id through the alias (the monthly index is not known from the id); keyscope.record is the whole event. */
export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof auditEventQuestion> = async (ctx, p) => {
  const res = await ctx.search({
    index: ctx.names.alias('audit-events'),
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 1,
    query: { term: { 'event.id': { value: p.id } } },
    _source: ['keyscope.record'],
  });
  const hit = res.hits.hits[0];
  return { event: hit === undefined ? null : (hit._source as { keyscope: { record: AuditEvent } }).keyscope.record };
};
