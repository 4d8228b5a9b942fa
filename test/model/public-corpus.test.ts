import { describe, expect, it } from 'vitest';
import { AuditEventSchema, PRINCIPAL_TYPES } from '../../lib/model/audit-event';
import { normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';
import { isKms, publicCorpus } from '../support/public-corpus';

type Json = Record<string, unknown>;
const corpus = publicCorpus();
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/**
 * The principal table of docs/cloudtrail.md, written again from the doc as a test oracle:
 * for each identity type, the fields that name the principal, first present wins.
 */
function expectedPrincipal(record: Json): { type: string; name: string | null; account: string | null } {
  if (record.userIdentity === undefined || record.userIdentity === null) {
    return record.eventType === 'AwsServiceEvent' ? { type: 'AWSService', name: String(record.eventSource), account: null } : { type: 'Unknown', name: null, account: null };
  }
  const id = obj(record.userIdentity);
  const issuer = obj(obj(id.sessionContext).sessionIssuer);
  const written = str(id.type);
  const type = written === null ? (str(id.invokedBy) ? 'AWSService' : 'Unknown') : (PRINCIPAL_TYPES as readonly string[]).includes(written) ? written : 'Unknown';
  const role = type === 'AssumedRole' && issuer.type === 'Role' ? str(issuer.arn) : null;
  const account = str(id.accountId) ?? (type === 'AssumedRole' ? str(issuer.accountId) : null);
  const on = obj(id.onBehalfOf);
  const first = (...xs: Array<string | null>) => xs.find((x) => x !== null) ?? null;
  const byType: Record<string, () => string | null> = {
    AssumedRole: () => first(role, str(id.arn), str(id.principalId)),
    Root: () => first(str(id.arn), str(id.principalId), account),
    IAMUser: () => first(str(id.arn), str(id.principalId), account),
    Role: () => first(str(id.arn), str(id.principalId), account),
    FederatedUser: () => first(str(id.arn), str(id.principalId), account),
    AWSAccount: () => first(account, str(id.principalId)),
    AWSService: () => first(str(id.invokedBy), str(id.arn), account),
    IdentityCenterUser: () => (str(on.userId) && str(on.identityStoreArn) ? `${str(on.identityStoreArn)}/user/${str(on.userId)}` : first(str(on.userId), str(id.arn), str(id.principalId), account)),
    Directory: () => first(str(id.arn), str(id.principalId), str(id.userName)),
    SAMLUser: () => first(str(id.arn), str(id.principalId), str(id.userName)),
    WebIdentityUser: () => first(str(id.arn), str(id.principalId), str(id.userName)),
    Unknown: () => first(str(id.arn), str(id.principalId), str(id.userName), str(id.invokedBy), account),
  };
  return { type, name: byType[type]!(), account };
}

describe('public CloudTrail records (test/fixtures/cloudtrail/public)', () => {
  it('has KMS and other services, from several identity types', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(corpus.filter((c) => isKms(c.record)).length).toBeGreaterThanOrEqual(15);
    const types = new Set(corpus.map((c) => String(obj(c.record.userIdentity).type ?? '(none)')));
    expect(types.size).toBeGreaterThanOrEqual(8);
  });

  it.each(corpus.map((c) => [`${c.file}:${c.line} ${String(c.record.eventName ?? c.record.eventType)}`, c] as const))('%s: stored if KMS, else skipped; never dead-lettered', (_name, c) => {
    const result = normalizeCloudTrailRecord(c.record);
    if (isKms(c.record)) {
      expect(result.ok, result.ok ? '' : result.reason).toBe(true);
      if (!result.ok) return;
      AuditEventSchema.parse(result.event);
      const { principal } = result.event;
      expect({ type: principal.type, name: principal.name, account: principal.accountId }).toEqual(expectedPrincipal(c.record));
    } else {
      expect(result).toMatchObject({ ok: false, skip: 'not_kms' });
    }
  });

  // The same identities on a KMS record: the principal and account the table gives.
  const others = corpus.filter((c) => !isKms(c.record) && c.record.eventType !== 'AwsCloudTrailInsight');
  it.each(others.map((c) => [`${c.file}:${c.line} ${String(c.record.eventName)}`, c] as const))('%s as a KMS record', (_name, c) => {
    const record: Json = { ...c.record, eventSource: 'kms.amazonaws.com' };
    const result = normalizeCloudTrailRecord(record);
    if (typeof record.eventID !== 'string') {
      // CloudTrail's earliest records (eventVersion 1.0) have no eventID: they cannot be identified.
      expect(result).toMatchObject({ ok: false, reason: 'eventID: required field is missing' });
      return;
    }
    expect(result.ok, result.ok ? '' : result.reason).toBe(true);
    if (!result.ok) return;
    AuditEventSchema.parse(result.event);
    const { principal } = result.event;
    expect({ type: principal.type, name: principal.name, account: principal.accountId }).toEqual(expectedPrincipal(record));
    expect(result.event.raw).toBe(record);
  });
});
