import { PRINCIPAL_TYPES, type AuditEvent, type PrincipalType } from '../audit-event';
import type { CloudTrailUserIdentity } from '../cloudtrail-record';
import { bounded } from './problems';

type Principal = AuditEvent['principal'];

const KNOWN_TYPES: ReadonlySet<string> = new Set(PRINCIPAL_TYPES);

/**
 * The kind of caller. Records without userIdentity.type are AwsServiceEvents (KMS's own
 * RotateKey, DeleteKey, ...), made by AWS itself; CloudTrail types we do not model
 * (SAMLUser, WebIdentityUser, Directory, ...) become Unknown rather than a guess.
 */
function principalType(type: string | undefined): PrincipalType {
  if (type === undefined) return 'AWSService';
  return KNOWN_TYPES.has(type) ? (type as PrincipalType) : 'Unknown';
}

function opt(path: string, value: string | undefined, max: number): string | null {
  return value === undefined ? null : bounded(path, value, max);
}

export function normalizePrincipal(id: CloudTrailUserIdentity): Principal {
  const issuer = id.sessionContext?.sessionIssuer;
  // Only a role session issuer is a role; federated users are issued by an IAM user.
  const roleArn = issuer?.type === 'Role' ? issuer.arn : undefined;
  return {
    type: principalType(id.type),
    arn: opt('userIdentity.arn', id.arn, 2048),
    accountId: opt('userIdentity.accountId', id.accountId, 32),
    principalId: opt('userIdentity.principalId', id.principalId, 512),
    accessKeyId: opt('userIdentity.accessKeyId', id.accessKeyId, 128),
    roleArn: opt('userIdentity.sessionContext.sessionIssuer.arn', roleArn, 2048),
    invokedBy: opt('userIdentity.invokedBy', id.invokedBy, 256),
  };
}

/**
 * A caller from another account than a key it used. Service principals have no account
 * (s3.amazonaws.com acting for the key's owner is not cross-account); where no key ARN is
 * known, the trail's account stands for the key's, as KMS logs a call in the key owner's
 * trail and, across accounts, in the caller's.
 */
export function isCrossAccount(callerAccountId: string | null, keyAccounts: ReadonlyArray<string | null>, recipientAccountId: string): boolean {
  if (callerAccountId === null) return false;
  const known = keyAccounts.filter((a): a is string => a !== null);
  if (known.length === 0) return callerAccountId !== recipientAccountId;
  return known.some((a) => a !== callerAccountId);
}
