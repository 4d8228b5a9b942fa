import { CONTEXT_PREFIX, resolveField } from '../../../query-language/fields';

/**
 * Where each audit-search catalog field (lib/query-language/fields.ts) lives in
 * audit_events (migration 8). The compiler emits only these fixed expressions; values are
 * always bound. Fields without a column of their own are rare filters read from `doc`.
 */
export type AuditColumn =
  | { kind: 'text'; expr: string } // TEXT, compared as stored (BINARY: UTF-8 byte order)
  | { kind: 'ref'; expr: string } // a dict id
  | { kind: 'outcome' } // success: 1 | 0
  | { kind: 'bool'; expr: string } // 1 | 0 | NULL
  | { kind: 'time' } // time_ms
  | { kind: 'ip' } // source_ip_bin: 16 bytes, IPv4 mapped into ::ffff:0:0/96
  | { kind: 'json'; expr: string } // read from doc
  | { kind: 'context'; key: string }; // audit_event_context, by (key, value) pair

const COLUMNS: Readonly<Record<string, AuditColumn>> = {
  '@timestamp': { kind: 'time' },
  'event.id': { kind: 'text', expr: 'id' },
  'event.action': { kind: 'text', expr: 'event_name' },
  'event.outcome': { kind: 'outcome' },
  'error.code': { kind: 'text', expr: 'error_code_written' },
  'error.message': { kind: 'text', expr: 'error_message' },
  'user.name': { kind: 'ref', expr: 'user_name_ref' },
  'user.id': { kind: 'json', expr: "json_extract(doc, '$.principal.principalId')" },
  'keyscope.principal.caller': { kind: 'text', expr: 'principal' },
  'keyscope.principal.account_id': { kind: 'ref', expr: 'principal_account_ref' },
  'aws.cloudtrail.user_identity.type': { kind: 'json', expr: "json_extract(doc, '$.principal.type')" },
  'aws.cloudtrail.user_identity.access_key_id': { kind: 'json', expr: "json_extract(doc, '$.principal.accessKeyId')" },
  'aws.cloudtrail.user_identity.invoked_by': { kind: 'json', expr: "json_extract(doc, '$.principal.invokedBy')" },
  'aws.cloudtrail.user_identity.session_context.session_issuer.arn': { kind: 'json', expr: "json_extract(doc, '$.principal.roleArn')" },
  'source.ip': { kind: 'ip' },
  'source.address': { kind: 'text', expr: 'source_ip' },
  'user_agent.original': { kind: 'ref', expr: 'user_agent_ref' },
  'cloud.region': { kind: 'ref', expr: 'region_ref' },
  'cloud.account.id': { kind: 'ref', expr: 'account_ref' },
  'kms.key.arn': { kind: 'text', expr: 'key_arn' },
  'kms.key.id': { kind: 'text', expr: 'key_id' },
  'kms.key.material_id': { kind: 'ref', expr: 'key_material_ref' },
  'kms.request_id': { kind: 'text', expr: 'request_id' },
  'aws.cloudtrail.event_type': { kind: 'text', expr: 'event_type' },
  'aws.cloudtrail.read_only': { kind: 'bool', expr: 'read_only' },
  'aws.cloudtrail.management_event': { kind: 'bool', expr: 'management' },
  'keyscope.cross_account': { kind: 'bool', expr: 'cross_account' },
};

/** The column of a catalog field (names resolved as the catalog resolves them); null for an unknown field. */
export function auditColumn(name: string): AuditColumn | null {
  const spec = resolveField(name);
  if (spec === null) return null;
  if (spec.name.startsWith(CONTEXT_PREFIX) && !(spec.name in COLUMNS)) return { kind: 'context', key: spec.name.slice(CONTEXT_PREFIX.length) };
  return COLUMNS[spec.name] ?? null;
}

/** Every catalog field with a column mapping (a test checks it covers the catalog). */
export const MAPPED_FIELDS: readonly string[] = Object.keys(COLUMNS);

/** The facets of /security, answered from audit_facets_1h (migration 8) where the query allows. */
export const AUDIT_FACET_FIELDS = [
  'event.action', 'event.outcome', 'cloud.account.id', 'cloud.region', 'keyscope.principal.caller',
  'source.ip', 'user_agent.original', 'kms.key.arn', 'error.code',
] as const;
export type AuditFacetField = (typeof AUDIT_FACET_FIELDS)[number];
/** The facet of encryption-context keys present (an event counts once per key). */
export const CONTEXT_KEYS_FACET = 'kms.encryption_context';
/** Scopes of audit_facets_1h besides every event (''): one key, one principal. */
export const ROLLUP_SCOPES = ['kms.key.arn', 'keyscope.principal.caller'] as const;
export type RollupScope = '' | (typeof ROLLUP_SCOPES)[number];
export const HOUR_MS = 3_600_000;
