import { PRINCIPAL_TYPES, type AuditEvent, type PrincipalType } from '../audit-event';
import { bounded } from './problems';
import { isObject, str } from './record-view';

type Principal = AuditEvent['principal'];
type Json = Record<string, unknown>;

const KNOWN_TYPES: ReadonlySet<string> = new Set(PRINCIPAL_TYPES);
const LIMITS = { arn: 2048, accountId: 32, principalId: 512, accessKeyId: 128, invokedBy: 256, name: 2048 };


/**
 * The caller of a record, by the rule in docs/cloudtrail.md ("The principal"). A record
 * with no userIdentity was made by AWS itself: for a service event, the service that wrote
 * it (its eventSource) is the principal; for anything else no caller is known.
 */
export function normalizePrincipal(identity: Json | undefined, record: { eventType?: string; eventSource: string }): Principal {
  if (identity === undefined) {
    const service = record.eventType === 'AwsServiceEvent' ? record.eventSource : null;
    return { type: service ? 'AWSService' : 'Unknown', name: bounded(service ?? undefined, LIMITS.name), arn: null, accountId: null, principalId: null, accessKeyId: null, roleArn: null, invokedBy: null };
  }
  const written = str(identity.type);
  const invokedBy = str(identity.invokedBy);
  // No type: AwsServiceEvents (KMS's own RotateKey, DeleteKey, ...) carry only accountId and invokedBy.
  const type: PrincipalType = written === undefined ? (invokedBy !== undefined ? 'AWSService' : 'Unknown') : KNOWN_TYPES.has(written) ? (written as PrincipalType) : 'Unknown';
  const session = isObject(identity.sessionContext) ? identity.sessionContext : undefined;
  // An empty or partial sessionIssuer ({} for an IAM user's temporary credentials) names no issuer.
  const issuer = session !== undefined && isObject(session.sessionIssuer) ? session.sessionIssuer : undefined;
  const roleArn = bounded(type === 'AssumedRole' && str(issuer?.type) === 'Role' ? str(issuer?.arn) : undefined, LIMITS.arn);
  const arn = bounded(str(identity.arn), LIMITS.arn);
  const accountId = bounded(str(identity.accountId) ?? (type === 'AssumedRole' ? str(issuer?.accountId) : undefined), LIMITS.accountId);
  const principalId = bounded(str(identity.principalId), LIMITS.principalId);
  const service = bounded(invokedBy, LIMITS.invokedBy);
  const known = { arn, roleArn, accountId, invokedBy: service, principalId };
  return {
    type,
    name: bounded(principalName(type, identity, known) ?? undefined, LIMITS.name),
    arn,
    accountId,
    principalId,
    accessKeyId: bounded(str(identity.accessKeyId), LIMITS.accessKeyId),
    roleArn,
    invokedBy: service,
  };
}

type Known = { arn: string | null; roleArn: string | null; accountId: string | null; invokedBy: string | null; principalId: string | null };

/** One row of the principal table (docs/cloudtrail.md) per identity type; the first field present wins. */
function principalName(type: PrincipalType, id: Json, k: Known): string | null {
  const { principalId } = k;
  const userName = str(id.userName) ?? null;
  switch (type) {
    case 'AssumedRole':
      return k.roleArn ?? k.arn ?? principalId;
    case 'Root':
    case 'IAMUser':
    case 'Role':
    case 'FederatedUser':
      return k.arn ?? principalId ?? k.accountId;
    case 'AWSAccount':
      return k.accountId ?? principalId;
    case 'AWSService':
      return k.invokedBy ?? k.arn ?? k.accountId;
    case 'IdentityCenterUser': {
      const on = isObject(id.onBehalfOf) ? id.onBehalfOf : {};
      const user = str(on.userId);
      const store = str(on.identityStoreArn);
      return user !== undefined && store !== undefined ? `${store}/user/${user}` : (user ?? k.arn ?? principalId ?? k.accountId);
    }
    case 'Directory':
    case 'SAMLUser':
    case 'WebIdentityUser':
      return k.arn ?? principalId ?? userName;
    case 'Unknown':
      return k.arn ?? principalId ?? userName ?? k.invokedBy ?? k.accountId;
  }
}

/**
 * A caller from another account than a key it used. Where no key ARN is known, the
 * trail's account stands for the key's, as KMS logs a call in the key owner's trail and,
 * across accounts, in the caller's; with neither known, nothing says the call crossed.
 */
export function isCrossAccount(callerAccountId: string | null, keyAccounts: ReadonlyArray<string | null>, recipientAccountId: string | null): boolean {
  if (callerAccountId === null) return false;
  const known = keyAccounts.filter((a): a is string => a !== null);
  if (known.length === 0) return recipientAccountId !== null && callerAccountId !== recipientAccountId;
  return known.some((a) => a !== callerAccountId);
}
