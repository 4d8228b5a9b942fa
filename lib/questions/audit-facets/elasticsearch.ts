import type { estypes } from '@elastic/elasticsearch';
import { isIp } from '../../query-language/ip';
import { aggsOf } from '../../store/elasticsearch/queries/common';
import type { ElasticsearchAnswerOf } from '../define';
import { AUDIT_FACETS, type AuditFacet, type auditFacetsQuestion } from './definition';
import { FACET_PAGE, auditFacetsRequest } from './elasticsearch-request';
import { facetsResult, topOf, type FacetCounts } from './shape';

type After = Record<string, estypes.FieldValue> | undefined;

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof auditFacetsQuestion> = async (ctx, p) => {
  const values = new Map<AuditFacet, Array<{ value: string; count: number }>>(AUDIT_FACETS.map((f) => [f, []]));
  const missing = new Map<AuditFacet, number>(AUDIT_FACETS.map((f) => [f, 0]));
  let pending = new Map<AuditFacet, After>(AUDIT_FACETS.map((f) => [f, undefined]));
  while (pending.size > 0) {
    const res = await ctx.search(auditFacetsRequest(p, pending, ctx.names.alias('audit-events')));
    const aggs = aggsOf(res);
    const next = new Map<AuditFacet, After>();
    for (const facet of pending.keys()) {
      const agg = aggs[facet] as estypes.AggregationsCompositeAggregate | undefined;
      const buckets = (agg?.buckets ?? []) as estypes.AggregationsCompositeBucket[];
      for (const b of buckets) {
        const v = b.key.v;
        // source.address holds service names too; the ip facet counts those as missing.
        if (v === null || v === undefined || (facet === 'source.ip' && !isIp(String(v)))) missing.set(facet, (missing.get(facet) ?? 0) + b.doc_count);
        else values.get(facet)?.push({ value: String(v), count: b.doc_count });
      }
      if (buckets.length === FACET_PAGE && agg?.after_key !== undefined) next.set(facet, agg.after_key as After);
    }
    pending = next;
  }
  const counts = new Map<AuditFacet, FacetCounts>(AUDIT_FACETS.map((f) => [f, topOf(values.get(f) ?? [], p.top, missing.get(f) ?? 0)]));
  return facetsResult(counts);
};
