import type { EncryptionContext } from '../../../model/encryption-context';

/**
 * Grants: per-key delegations that let a grantee principal perform listed operations,
 * optionally only with a matching encryption context, even where the key policy does not
 * allow it. An explicit Deny in the key policy still wins (evaluated by the caller).
 */

export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
] as const;
export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

export interface GrantConstraints {
  /** The request's context must contain every pair (it may have more). */
  EncryptionContextSubset?: EncryptionContext;
  /** The request's context must be exactly this. */
  EncryptionContextEquals?: EncryptionContext;
}

export interface Grant {
  grantId: string;
  grantToken: string;
  keyId: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: GrantOperation[];
  constraints?: GrantConstraints;
  issuingAccount: string;
  creationDateMs: number;
}

export function isGrantOperation(op: string): op is GrantOperation {
  return (GRANT_OPERATIONS as readonly string[]).includes(op);
}

function contextSatisfies(c: GrantConstraints | undefined, ctx: EncryptionContext): boolean {
  if (!c) return true;
  if (c.EncryptionContextEquals) {
    const want = c.EncryptionContextEquals;
    const keys = Object.keys(ctx);
    if (keys.length !== Object.keys(want).length || keys.some((k) => want[k] !== ctx[k])) return false;
  }
  if (c.EncryptionContextSubset) {
    for (const [k, v] of Object.entries(c.EncryptionContextSubset)) if (ctx[k] !== v) return false;
  }
  return true;
}

export interface GrantRequest {
  principalArns: readonly string[];
  /** Service principal for AWSService callers. */
  servicePrincipal?: string;
  operation: GrantOperation;
  encryptionContext: EncryptionContext;
}

export function grantAllows(grant: Grant, req: GrantRequest): boolean {
  const principalOk = req.principalArns.includes(grant.granteePrincipal) || (req.servicePrincipal !== undefined && req.servicePrincipal === grant.granteePrincipal);
  return principalOk && grant.operations.includes(req.operation) && contextSatisfies(grant.constraints, req.encryptionContext);
}

/** AWS allows the retiring principal, the grantee (simplified: always) or the issuing account's root to retire. */
export function mayRetire(grant: Grant, principalArns: readonly string[], isRoot: boolean, accountId: string): boolean {
  if (isRoot && grant.issuingAccount === `arn:aws:iam::${accountId}:root`) return true;
  return principalArns.some((p) => p === grant.retiringPrincipal || p === grant.granteePrincipal);
}
