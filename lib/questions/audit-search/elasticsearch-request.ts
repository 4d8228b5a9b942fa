import type { estypes } from '@elastic/elasticsearch';
import { TOTAL_CAP } from '../audit-common';
import type { AuditCursor } from './cursor';
import type { AuditSearchParams } from './definition';
import { auditQuery } from './elasticsearch-query';

/** What a hit carries: the stored event, its raw record left on the server. */
export const ROW_SOURCE = { includes: ['keyscope.record'], excludes: ['keyscope.record.raw'] };

/**
 * One page newest first by (@timestamp, event.id), one hit more than the page to know
 * whether another follows; search_after from the cursor. The total is exact up to
 * TOTAL_CAP (track_total_hits), counted over the whole query, whatever the page.
 */
export function auditSearchRequest(p: AuditSearchParams, after: AuditCursor | undefined, index: string): estypes.SearchRequest {
  return {
    index,
    ignore_unavailable: true,
    allow_no_indices: true,
    size: p.limit + 1,
    query: auditQuery(p.query, Date.parse(p.from), Date.parse(p.to)),
    sort: [{ '@timestamp': { order: 'desc' } }, { 'event.id': { order: 'desc' } }],
    ...(after === undefined ? {} : { search_after: [after.timeMs, after.id] }),
    track_total_hits: p.withTotal ? TOTAL_CAP : false,
    _source: ROW_SOURCE,
  };
}
