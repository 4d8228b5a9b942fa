import type { estypes } from '@elastic/elasticsearch';
import { term, timeRange, type Query } from '../../store/elasticsearch/queries/common';
import { SEEN_FIELDS } from './definition';

const BASE = { ignore_unavailable: true, allow_no_indices: true } as const;

/** The document field of each tracked sighting (documents.ts auditEventDoc). */
export const SEEN_FIELD_ES: Readonly<Record<(typeof SEEN_FIELDS)[number], string>> = {
  'kms.key.arn': 'keyscope.kek.arn',
  'source.address': 'source.address',
  'cloud.region': 'cloud.region',
  'user_agent.original': 'user_agent.original',
};

/** Encryption-context pairs of an event as one keyword each, `<key length>:<key><value>` (unambiguous), read from _source. */
export const CONTEXT_PAIRS_FIELD = 'keyscope_context_pairs';
const CONTEXT_PAIRS: estypes.MappingRuntimeField = {
  type: 'keyword',
  script: {
    source: `def ks = params._source.keyscope; if (ks != null && ks.encryption_context != null) {
      for (def e : ks.encryption_context.entrySet()) { String k = e.getKey(); emit(k.length() + ':' + k + String.valueOf(e.getValue())); } }`,
  },
};

export function decodeContextPair(s: string): [string, string] {
  const colon = s.indexOf(':');
  const n = Number(s.slice(0, colon));
  return [s.slice(colon + 1, colon + 1 + n), s.slice(colon + 1 + n)];
}

export function principalFilter(principal: string): Query {
  return term('keyscope.principal.caller', principal);
}

export function principalRangeFilter(principal: string, fromMs: number, toMs: number): Query[] {
  return [principalFilter(principal), timeRange(fromMs, toMs)];
}

/** Calls and failures in the range. */
export function principalTotalsRequest(principal: string, fromMs: number, toMs: number, index: string): estypes.SearchRequest {
  return {
    ...BASE, index, size: 0, track_total_hits: true,
    query: { bool: { filter: principalRangeFilter(principal, fromMs, toMs) } },
    aggs: { failures: { filter: term('event.outcome', 'failure') } },
  };
}

/** First and last seen at any time, and the latest event's identity (ties by event id, as SQLite breaks them). */
export function principalSeenRequest(principal: string, index: string): estypes.SearchRequest {
  return {
    ...BASE, index, size: 1, track_total_hits: true,
    query: { bool: { filter: [principalFilter(principal)] } },
    sort: [{ '@timestamp': 'desc' }, { 'event.id': 'desc' }],
    _source: ['keyscope.record.principal.type', 'keyscope.record.principal.accountId'],
    aggs: { first: { min: { field: '@timestamp' } }, last: { max: { field: '@timestamp' } } },
  };
}

/** One composite page of a tracked field's values with their first and last sighting, at any time. */
export function sightingsRequest(principal: string, field: string, index: string, after?: Record<string, estypes.FieldValue>): estypes.SearchRequest {
  const runtime = field === CONTEXT_PAIRS_FIELD ? { runtime_mappings: { [CONTEXT_PAIRS_FIELD]: CONTEXT_PAIRS } } : {};
  return {
    ...BASE, index, size: 0, ...runtime,
    query: { bool: { filter: [principalFilter(principal)] } },
    aggs: {
      values: {
        composite: { size: 1000, sources: [{ v: { terms: { field } } }], ...(after ? { after } : {}) },
        aggs: { first: { min: { field: '@timestamp' } }, last: { max: { field: '@timestamp' } } },
      },
    },
  };
}
