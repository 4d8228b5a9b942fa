import type { estypes } from '@elastic/elasticsearch';
import { ENTITIES, TIME_SERIES, type EntityKind, type IndexNames, type TimeSeriesKind } from './names';

type Properties = Record<string, estypes.MappingProperty>;

const keyword: estypes.MappingProperty = { type: 'keyword', ignore_above: 2048 };
const date: estypes.MappingProperty = { type: 'date' };
const bool: estypes.MappingProperty = { type: 'boolean' };
const long: estypes.MappingProperty = { type: 'long' };
/** Kept in _source for reading back, never searched. */
const stored: estypes.MappingProperty = { type: 'object', enabled: false };
const obj = (properties: Properties): estypes.MappingProperty => ({ type: 'object', properties });
/** Encryption context: a string map whose keys vary by application; flattened lets a query filter on any key. */
const context: estypes.MappingProperty = { type: 'flattened', ignore_above: 2048 };

const MAPPINGS: Record<TimeSeriesKind | EntityKind, Properties> = {
  'key-operations': {
    '@timestamp': date,
    event: obj({ id: keyword, kind: keyword, action: keyword, outcome: keyword, duration: long }),
    service: obj({ name: keyword }),
    user: obj({ name: keyword }),
    cloud: obj({ region: keyword, account: obj({ id: keyword }) }),
    trace: obj({ id: keyword }),
    error: obj({ type: keyword, code: keyword }),
    keyscope: obj({
      ingest_source: keyword,
      tenant: keyword,
      // id: as the emitter wrote it; arn: canonical, where account and Region are known (lib/model/kek-ref.ts).
      kek: obj({ id: keyword, version: keyword, arn: keyword }),
      dek: obj({ id: keyword }),
      object: obj({ id: keyword }),
      // The key manager's request id (CloudTrail's requestID), to join an operation to its audit record.
      kms: obj({ request_id: keyword }),
      latency_ms: { type: 'double' },
      cache_hit: bool,
      bytes: long,
    }),
  },
  'audit-events': {
    '@timestamp': date,
    event: obj({ id: keyword, kind: keyword, provider: keyword, action: keyword, outcome: keyword }),
    source: obj({ address: keyword, ip: { type: 'ip' } }),
    user_agent: obj({ original: { type: 'keyword', ignore_above: 4096 } }),
    user: obj({ name: keyword, id: keyword }),
    cloud: obj({ provider: keyword, region: keyword, account: obj({ id: keyword }) }),
    error: obj({ code: keyword }),
    aws: obj({
      cloudtrail: obj({
        event_type: keyword,
        management_event: bool,
        read_only: bool,
        error_code: keyword,
        // The keyword copy serves "contains, ASCII case-insensitive" (a case-insensitive wildcard), as the oracle reads it.
        error_message: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 8191 } } },
        request_id: keyword,
        recipient_account_id: keyword,
        user_identity: obj({
          type: keyword,
          arn: keyword,
          access_key_id: keyword,
          invoked_by: keyword,
          session_context: obj({ session_issuer: obj({ arn: keyword }) }),
        }),
        resources: obj({ arn: keyword }),
      }),
    }),
    keyscope: obj({
      ingest_source: keyword,
      kek: obj({ arn: keyword, id: keyword, version: keyword, previous_version: keyword }),
      principal: obj({ account_id: keyword, caller: keyword }),
      cross_account: bool,
      encryption_context: context,
      // The context's keys, for the facet of keys (a flattened field aggregates values, not keys).
      encryption_context_keys: keyword,
      // "<key>\u0000<value>" per pair: wildcards and one-sided ranges, which keyed flattened fields refuse.
      encryption_context_pairs: { type: 'keyword', ignore_above: 4096 },
      record: stored,
    }),
  },
  'dek-records': {
    '@timestamp': date,
    keyscope: obj({
      object: obj({ id: { type: 'keyword', ignore_above: 1024 }, path: { type: 'keyword', ignore_above: 4096 } }),
      dek: obj({ id: keyword }),
      kek: obj({ id: keyword, version: keyword }),
      tenant: keyword,
      service_name: keyword,
      encryption_context: context,
      bytes: long,
      encrypted_at: date,
      rotation_status: keyword,
    }),
  },
  'key-states': {
    '@timestamp': date,
    keyscope: obj({ kek: obj({ arn: keyword, id: keyword, account_id: keyword, region: keyword }), state: keyword, record: stored }),
  },
  alerts: {
    '@timestamp': date,
    keyscope: obj({
      alert: obj({ id: keyword, rule_id: keyword, severity: keyword, status: keyword, subject: keyword, first_seen: date }),
      record: stored,
    }),
  },
  'dead-letters': {
    '@timestamp': date,
    keyscope: obj({
      dead_letter: obj({
        id: keyword,
        source: keyword,
        location: { type: 'keyword', index: false, doc_values: false },
        reason: { type: 'text' },
        payload: { type: 'keyword', index: false, doc_values: false },
      }),
    }),
  },
  checkpoints: { source: keyword, key: keyword, value_json: { type: 'keyword', index: false, doc_values: false }, updated_at: date },
  'ingest-sources': { source: keyword, kind: keyword, newest_event_ms: long, last_write_ms: long, records: long },
};

/**
 * One composable index template per kind. `dynamic: strict` makes a document with a field
 * the mapping lacks fail loudly (it goes to the dead letters with the reason) rather than
 * grow the mapping unseen. One shard: keyscope's indices are monthly and moderate; the
 * replica count follows the cluster size (none on a single node, one otherwise).
 */
export function indexTemplates(names: IndexNames): estypes.IndicesPutIndexTemplateRequest[] {
  const settings = { number_of_shards: 1, auto_expand_replicas: '0-1' };
  const timeSeries = TIME_SERIES.map((kind) => ({
    name: names.template(kind),
    index_patterns: [names.pattern(kind)],
    priority: 500,
    template: { settings, mappings: { dynamic: 'strict' as const, properties: MAPPINGS[kind] }, aliases: { [names.alias(kind)]: {} } },
    _meta: { managed_by: 'keyscope', description: `keyscope ${kind}, one index per UTC month` },
  }));
  const entities = ENTITIES.map((kind) => ({
    name: names.template(kind),
    index_patterns: [names.entity(kind)],
    priority: 500,
    template: { settings, mappings: { dynamic: 'strict' as const, properties: MAPPINGS[kind] } },
    _meta: { managed_by: 'keyscope', description: `keyscope ${kind}` },
  }));
  return [...timeSeries, ...entities];
}

/**
 * The mappings to put on indices that already exist, so that fields added to a kind since
 * they were created are accepted there too (their template only shapes new indices).
 * Adding fields is the only change a mapping allows; keyscope only ever adds.
 */
export function existingIndexMappings(names: IndexNames): estypes.IndicesPutMappingRequest[] {
  return [
    ...TIME_SERIES.map((kind) => ({ index: names.pattern(kind), properties: MAPPINGS[kind] })),
    ...ENTITIES.map((kind) => ({ index: names.entity(kind), properties: MAPPINGS[kind] })),
  ].map((m) => ({ ...m, allow_no_indices: true, ignore_unavailable: true }));
}
