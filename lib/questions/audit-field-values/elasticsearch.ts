import type { estypes } from '@elastic/elasticsearch';
import { resolveField } from '../../query-language/fields';
import { aggsOf } from '../../store/elasticsearch/queries/common';
import type { ElasticsearchAnswerOf } from '../define';
import type { AuditFieldValuesParams, auditFieldValuesQuestion } from './definition';

const HOUR_MS = 3_600_000;

/**
 * A terms aggregation over the events of the range widened outward to whole hours (as SQLite's
 * hourly rollup answers it), narrowed by a prefix query. An ip field takes no prefix query:
 * source.ip is completed from source.address where source.ip exists (the same text).
 */
export function fieldValuesRequest(p: AuditFieldValuesParams, index: string): estypes.SearchRequest {
  const field = p.field === 'source.ip' ? 'source.address' : resolveField(p.field)!.es;
  const filter: estypes.QueryDslQueryContainer[] = [
    { range: { '@timestamp': { gte: new Date(Math.floor(Date.parse(p.from) / HOUR_MS) * HOUR_MS).toISOString(), lt: new Date(Math.ceil(Date.parse(p.to) / HOUR_MS) * HOUR_MS).toISOString() } } },
  ];
  if (p.field === 'source.ip') filter.push({ exists: { field: 'source.ip' } });
  if (p.prefix !== '') filter.push({ prefix: { [field]: { value: p.prefix } } });
  return {
    index, size: 0, ignore_unavailable: true, allow_no_indices: true, query: { bool: { filter } },
    aggs: { v: { terms: { field, size: p.limit, order: [{ _count: 'desc' }, { _key: 'asc' }] } } },
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof auditFieldValuesQuestion> = async (ctx, p) => {
  const res = await ctx.search(fieldValuesRequest(p, ctx.names.alias('audit-events')));
  const buckets = (aggsOf(res).v as { buckets?: Array<{ key: string; doc_count: number }> } | undefined)?.buckets ?? [];
  return { field: p.field, values: buckets.map((b) => ({ value: String(b.key), count: b.doc_count })) };
};
