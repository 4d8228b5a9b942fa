import type { estypes } from '@elastic/elasticsearch';
import { kekLabel } from '../../model/kek-ref';
import { term, timeRange, type Query } from '../../store/elasticsearch/queries/common';
import { KEY_CHANGE_EVENTS } from './definition';

const BASE = { ignore_unavailable: true, allow_no_indices: true } as const;

/** The key's audit events in [from, to). */
export function keyEventsFilter(keyArn: string, fromMs: number, toMs: number): Query[] {
  return [term('keyscope.kek.arn', keyArn), timeRange(fromMs, toMs)];
}

export function keyStateRequest(keyArn: string, index: string): estypes.SearchRequest {
  return { ...BASE, index, size: 1, query: { bool: { filter: [term('keyscope.kek.arn', keyArn)] } }, _source: ['keyscope.record'] };
}

/** One hit, any time, is enough to know the audit trail names the key. */
export function keyInAuditRequest(keyArn: string, index: string): estypes.SearchRequest {
  return { ...BASE, index, size: 0, track_total_hits: 1, query: { bool: { filter: [term('keyscope.kek.arn', keyArn)] } } };
}

/** Calls and failures in the range. */
export function keyTotalsRequest(keyArn: string, fromMs: number, toMs: number, index: string): estypes.SearchRequest {
  return {
    ...BASE, index, size: 0, track_total_hits: true,
    query: { bool: { filter: keyEventsFilter(keyArn, fromMs, toMs) } },
    aggs: { failures: { filter: term('event.outcome', 'failure') } },
  };
}

/** Management changes, newest first, ties by event id (as SQLite orders them), with the exact total. */
export function keyChangesRequest(keyArn: string, fromMs: number, toMs: number, limit: number, index: string): estypes.SearchRequest {
  return {
    ...BASE, index, size: limit, track_total_hits: true,
    query: { bool: { filter: [...keyEventsFilter(keyArn, fromMs, toMs), { terms: { 'event.action': [...KEY_CHANGE_EVENTS] } }] } },
    sort: [{ '@timestamp': 'desc' }, { 'event.id': 'desc' }],
    _source: ['@timestamp', 'event.id', 'event.action', 'event.outcome', 'keyscope.principal.caller', 'source.address', 'aws.cloudtrail.error_code'],
  };
}

/** DEK records naming the key by ARN or bare key id, per (version, rotation status); a record without a version is its own group. */
export function dekRecordsRequest(keyArn: string, index: string, after?: Record<string, estypes.FieldValue>): estypes.SearchRequest {
  return {
    ...BASE, index, size: 0,
    query: { bool: { filter: [{ terms: { 'keyscope.kek.id': [keyArn, kekLabel(keyArn)] } }] } },
    aggs: {
      groups: {
        composite: {
          size: 1000,
          sources: [{ version: { terms: { field: 'keyscope.kek.version', missing_bucket: true } } }, { status: { terms: { field: 'keyscope.rotation_status' } } }],
          ...(after ? { after } : {}),
        },
      },
    },
  };
}
