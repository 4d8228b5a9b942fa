import type { estypes } from '@elastic/elasticsearch';
import { SEARCH_DEFAULTS, timeRange } from '../../store/elasticsearch/queries/common';

/** Every ingest-source mark (one per source and record kind; a handful). */
export function ingestSourcesRequest(index: string): estypes.SearchRequest {
  return { index, ignore_unavailable: true, allow_no_indices: true, size: 10_000, sort: [{ source: 'asc' }, { kind: 'asc' }] };
}

export const SOURCE_PAGE = 1000;

/** Dead letters per source, all time and in [from, to), a composite page at a time (exact). */
export function deadLettersBySourceRequest(fromMs: number, toMs: number, index: string, after?: Record<string, estypes.FieldValue>): estypes.SearchRequest {
  return {
    index, ...SEARCH_DEFAULTS,
    aggs: {
      s: {
        composite: { size: SOURCE_PAGE, sources: [{ source: { terms: { field: 'keyscope.dead_letter.source' } } }], ...(after ? { after } : {}) },
        aggs: { inRange: { filter: timeRange(fromMs, toMs) } },
      },
    },
  };
}

/** The newest dead letters, ties by id, as sqlite orders them. */
export function latestDeadLettersRequest(n: number, index: string): estypes.SearchRequest {
  return {
    index, ignore_unavailable: true, allow_no_indices: true, size: n,
    sort: [{ '@timestamp': 'desc' }, { 'keyscope.dead_letter.id': 'asc' }],
    _source: ['@timestamp', 'keyscope.dead_letter.id', 'keyscope.dead_letter.source', 'keyscope.dead_letter.location', 'keyscope.dead_letter.reason'],
  };
}
