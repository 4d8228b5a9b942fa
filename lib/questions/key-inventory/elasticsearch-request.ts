import type { estypes } from '@elastic/elasticsearch';
import { KMS_EVENT_NAMES, kmsEventInfo } from '../../model/cloudtrail/event-names';
import type { KeyInventoryParams } from './definition';
import { kekKeyId } from '../kms-throttling/definition';
import { term, timeRange, type Query } from '../../store/elasticsearch/queries/common';

/** The cryptographic operations: the calls that count as using a key. */
const DATA_PLANE_EVENT_NAMES = KMS_EVENT_NAMES.filter((n) => !kmsEventInfo(n).management);

function keyFilters(f: KeyInventoryParams['filters']): Query[] {
  const out: Query[] = [];
  if (f.accountId !== undefined) out.push(term('keyscope.kek.account_id', f.accountId));
  if (f.region !== undefined) out.push(term('keyscope.kek.region', f.region));
  if (f.state !== undefined) out.push(term('keyscope.state', f.state));
  if (f.keyId !== undefined) out.push(term('keyscope.kek.id', kekKeyId(f.keyId)));
  return out;
}

/** Key states in page order: account, Region (absent first, as sqlite sorts NULL), key ARN; with the exact total. */
export function keyStatesRequest(p: Pick<KeyInventoryParams, 'filters' | 'limit'>, index: string): estypes.SearchRequest {
  return {
    index, ignore_unavailable: true, allow_no_indices: true, size: p.limit, track_total_hits: true,
    query: { bool: { filter: keyFilters(p.filters) } },
    sort: [
      { 'keyscope.kek.account_id': { order: 'asc', missing: '_first' } },
      { 'keyscope.kek.region': { order: 'asc', missing: '_first' } },
      { 'keyscope.kek.arn': 'asc' },
    ],
    _source: ['keyscope.record'],
  };
}

export const PRINCIPAL_PAGE = 1000;

/**
 * Calls and failures per (key, caller) among the listed keys' cryptographic calls in
 * [from, to): a composite page at a time, so every pair is counted exactly and ranked by
 * the caller of the question.
 */
export function keyPrincipalsRequest(keyArns: string[], fromMs: number, toMs: number, index: string, after?: Record<string, estypes.FieldValue>): estypes.SearchRequest {
  return {
    index, ignore_unavailable: true, allow_no_indices: true, size: 0,
    query: {
      bool: {
        filter: [
          { terms: { 'keyscope.kek.arn': keyArns } },
          timeRange(fromMs, toMs),
          { terms: { 'event.action': DATA_PLANE_EVENT_NAMES } },
          { exists: { field: 'keyscope.principal.caller' } },
        ],
      },
    },
    aggs: {
      pairs: {
        composite: {
          size: PRINCIPAL_PAGE,
          sources: [{ key: { terms: { field: 'keyscope.kek.arn' } } }, { principal: { terms: { field: 'keyscope.principal.caller' } } }],
          ...(after ? { after } : {}),
        },
        aggs: { failures: { filter: term('event.outcome', 'failure') } },
      },
    },
  };
}
