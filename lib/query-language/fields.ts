import type { AuditEvent } from '../model/audit-event';
import { isIp } from './ip';

/**
 * The audit-search field catalog: ECS-style names, what each reads from an AuditEvent (the
 * oracle both stores are tested against) and the Elasticsearch field it compiles to
 * (lib/store/elasticsearch/documents.ts auditEventDoc). docs/search-language.md lists it.
 */
export type FieldType = 'keyword' | 'ip' | 'date' | 'boolean' | 'text';
export type FieldSpec = {
  name: string;
  type: FieldType;
  description: string;
  es: string; // the Elasticsearch document field (lib/store/elasticsearch/documents.ts auditEventDoc)
  facet: boolean; // offered as a facet on /security
  defaultSearch: boolean; // bare words search it
  values: (e: AuditEvent) => ReadonlyArray<string | boolean>; // the oracle: the event's values of this field ([] when null)
};

export const CONTEXT_PREFIX = 'kms.encryption_context.';
const CONTEXT_ES_PREFIX = 'keyscope.encryption_context.';

const one = <T extends string | boolean>(v: T | null | undefined): ReadonlyArray<T> => (v === null || v === undefined ? [] : [v]);

type Options = { facet?: boolean; defaultSearch?: boolean; es?: string };
function field(name: string, type: FieldType, description: string, values: FieldSpec['values'], o: Options = {}): FieldSpec {
  return { name, type, description, es: o.es ?? name, facet: o.facet ?? false, defaultSearch: o.defaultSearch ?? false, values };
}

export const AUDIT_FIELDS: readonly FieldSpec[] = Object.freeze([
  // Normalised to UTC with milliseconds, the form range bounds take.
  field('@timestamp', 'date', 'When the call was made', (e) => [new Date(e.time).toISOString()]),
  field('event.id', 'keyword', 'CloudTrail eventID', (e) => [e.id]),
  field('event.action', 'keyword', 'KMS API action (Decrypt, GenerateDataKey, ...)', (e) => [e.eventName], { facet: true, defaultSearch: true }),
  field('event.outcome', 'keyword', 'success or failure', (e) => [e.outcome], { facet: true }),
  field('error.code', 'keyword', 'Error code as CloudTrail wrote it', (e) => one(e.errorCode), {
    facet: true, defaultSearch: true, es: 'aws.cloudtrail.error_code',
  }),
  field('error.message', 'text', 'Error message (contains, case-insensitive)', (e) => one(e.errorMessage), { es: 'aws.cloudtrail.error_message' }),
  field('user.name', 'keyword', 'Caller ARN (session ARN for assumed roles), else principal id', (e) => one(e.principal.arn ?? e.principal.principalId), {
    facet: true, defaultSearch: true,
  }),
  field('user.id', 'keyword', 'CloudTrail principalId', (e) => one(e.principal.principalId)),
  field('keyscope.principal.caller', 'keyword', 'Principal: the caller, stable across sessions (role ARN for assumed roles)', (e) => one(e.principal.name), {
    facet: true,
  }),
  field('keyscope.principal.account_id', 'keyword', "The caller's account", (e) => one(e.principal.accountId)),
  field('aws.cloudtrail.user_identity.type', 'keyword', 'Identity type (AssumedRole, IAMUser, AWSService, ...)', (e) => [e.principal.type]),
  field('aws.cloudtrail.user_identity.access_key_id', 'keyword', 'Access key id the call was signed with', (e) => one(e.principal.accessKeyId)),
  field('aws.cloudtrail.user_identity.invoked_by', 'keyword', 'AWS service that called on the principal\'s behalf', (e) => one(e.principal.invokedBy)),
  field('aws.cloudtrail.user_identity.session_context.session_issuer.arn', 'keyword', 'Assumed role: the role ARN', (e) => one(e.principal.roleArn)),
  field('source.ip', 'ip', 'Source IP address (CIDR allowed)', (e) => (e.sourceIp !== null && isIp(e.sourceIp) ? [e.sourceIp] : []), { facet: true }),
  field('source.address', 'keyword', 'Source as written: an IP or a service name (kms.amazonaws.com)', (e) => one(e.sourceIp), { defaultSearch: true }),
  field('user_agent.original', 'keyword', 'User agent', (e) => one(e.userAgent), { facet: true }),
  field('cloud.region', 'keyword', 'AWS Region', (e) => one(e.region), { facet: true }),
  field('cloud.account.id', 'keyword', 'Account: the account that owns the trail (recipient)', (e) => one(e.accountId), { facet: true }),
  field('kms.key.arn', 'keyword', 'Key: the KMS key ARN', (e) => one(e.keyArn), { facet: true, defaultSearch: true, es: 'keyscope.kek.arn' }),
  field('kms.key.id', 'keyword', 'KMS key id (UUID)', (e) => one(e.keyId), { defaultSearch: true, es: 'keyscope.kek.id' }),
  field('kms.key.material_id', 'keyword', 'Key material id (KEK version)', (e) => one(e.keyMaterialId), { es: 'keyscope.kek.version' }),
  field('kms.request_id', 'keyword', 'KMS request id', (e) => one(e.requestId), { es: 'aws.cloudtrail.request_id' }),
  field('aws.cloudtrail.event_type', 'keyword', 'CloudTrail eventType (AwsApiCall, AwsServiceEvent, ...)', (e) => one(e.eventType)),
  field('aws.cloudtrail.read_only', 'boolean', 'The call only read', (e) => one(e.readOnly)),
  field('aws.cloudtrail.management_event', 'boolean', 'Management-plane call (CreateKey, PutKeyPolicy, ...)', (e) => [e.management]),
  field('keyscope.cross_account', 'boolean', "The caller's account differs from the key's", (e) => [e.crossAccount]),
]);

const BY_NAME = new Map(AUDIT_FIELDS.map((f) => [f.name.toLowerCase(), f]));

/**
 * Catalog names match case-insensitively; `kms.encryption_context.<key>` keeps the key as
 * written (keys are case-sensitive). Null for an unknown name, or a key that is empty, oversized or holds *.
 */
export function resolveField(name: string): FieldSpec | null {
  const known = BY_NAME.get(name.toLowerCase());
  if (known !== undefined) return known;
  if (name.length <= CONTEXT_PREFIX.length || name.slice(0, CONTEXT_PREFIX.length).toLowerCase() !== CONTEXT_PREFIX) return null;
  const key = name.slice(CONTEXT_PREFIX.length);
  // Elasticsearch reads * in a field name as a pattern (exists would match other keys).
  if (key.length > 2048 || key.includes('*')) return null;
  return contextField(key);
}

function contextField(key: string): FieldSpec {
  return {
    name: CONTEXT_PREFIX + key,
    type: 'keyword',
    description: `Encryption context "${key}"`,
    es: CONTEXT_ES_PREFIX + key,
    facet: false,
    defaultSearch: false,
    values: (e) => {
      const ctx = e.encryptionContext;
      return ctx !== null && Object.prototype.hasOwnProperty.call(ctx, key) ? [ctx[key] as string] : [];
    },
  };
}
