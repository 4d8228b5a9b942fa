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

/** The keys of an event's encryption context (documents.ts); each key's values are keyscope.encryption_context.<key> (flattened). */
export const CONTEXT_KEYS_FIELD = 'keyscope.encryption_context_keys';
export const contextValueField = (key: string): string => `keyscope.encryption_context.${key}`;

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
  return {
    ...BASE, index, size: 0,
    query: { bool: { filter: [principalFilter(principal)] } },
    aggs: {
      values: {
        composite: { size: 1000, sources: [{ v: { terms: { field } } }], ...(after ? { after } : {}) },
        aggs: { first: { min: { field: '@timestamp' } }, last: { max: { field: '@timestamp' } } },
      },
    },
  };
}
