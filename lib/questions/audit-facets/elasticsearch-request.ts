import type { estypes } from '@elastic/elasticsearch';
import { resolveField } from '../../query-language/fields';
import { SEARCH_DEFAULTS } from '../../store/elasticsearch/queries/common';
import { auditQuery } from '../audit-search/elasticsearch-query';
import type { AuditFacet, AuditFacetsParams } from './definition';

/** Context keys an event carries, one keyword each (lib/store/elasticsearch/documents.ts). */
export const CONTEXT_KEYS_FIELD = 'keyscope.encryption_context_keys';
/** Groups per facet per round trip; a facet with more values pages on. */
export const FACET_PAGE = 5_000;

/**
 * The document field a facet groups by. source.ip groups the address as written
 * (source.address, keeping only IPs after), since the ip field would print ::ffff:10.0.0.9
 * as 10.0.0.9; the others by their catalog field.
 */
export function facetField(facet: AuditFacet): string {
  if (facet === 'kms.encryption_context') return CONTEXT_KEYS_FIELD;
  if (facet === 'source.ip') return 'source.address';
  const spec = resolveField(facet);
  if (spec === null) throw new Error(`facet ${facet} is not in the catalog`);
  return spec.es;
}

/**
 * One round of facet counts: a composite aggregation per facet still being read (every
 * value, exactly, whatever the shards; the missing bucket counts events without one),
 * each from its own after key.
 */
export function auditFacetsRequest(
  p: AuditFacetsParams, pending: ReadonlyMap<AuditFacet, Record<string, estypes.FieldValue> | undefined>, index: string,
): estypes.SearchRequest {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const [facet, after] of pending) {
    aggs[facet] = {
      composite: {
        size: FACET_PAGE,
        sources: [{ v: { terms: { field: facetField(facet), missing_bucket: true } } }],
        ...(after === undefined ? {} : { after }),
      },
    };
  }
  return { ...SEARCH_DEFAULTS, index, query: auditQuery(p.query, Date.parse(p.from), Date.parse(p.to)), aggs };
}
