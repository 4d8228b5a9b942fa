import { KmsError } from '../../errors';
import type { CallerIdentity } from '../provider';
import { isGrantOperation, mayRetire, type Grant, type GrantConstraints, type GrantOperation } from './grants';
import { kmsErrors } from './kms-errors';
import { LocalKmsAdmin } from './kms-admin';

type Who = { caller?: CallerIdentity };

export interface GrantListEntry {
  KeyId: string;
  GrantId: string;
  Name?: string;
  CreationDate: Date;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  IssuingAccount: string;
  Operations: GrantOperation[];
  Constraints?: GrantConstraints;
}

/** CloudTrail writes grant constraints with camel-cased keys. */
function constraintsForTrail(c: GrantConstraints): Record<string, unknown> {
  return {
    ...(c.EncryptionContextSubset ? { encryptionContextSubset: c.EncryptionContextSubset } : {}),
    ...(c.EncryptionContextEquals ? { encryptionContextEquals: c.EncryptionContextEquals } : {}),
  };
}

/** Grant operations of the local KMS: CreateGrant, ListGrants, RetireGrant, RevokeGrant. */
export class LocalKmsGrantOps extends LocalKmsAdmin {
  createGrant(
    req: { keyId: string; granteePrincipal: string; operations: GrantOperation[]; retiringPrincipal?: string; constraints?: GrantConstraints; name?: string } & Who,
  ): Promise<{ GrantId: string; GrantToken: string }> {
    const params = {
      keyId: req.keyId,
      granteePrincipal: req.granteePrincipal,
      ...(req.retiringPrincipal ? { retiringPrincipal: req.retiringPrincipal } : {}),
      operations: req.operations,
      ...(req.constraints ? { constraints: constraintsForTrail(req.constraints) } : {}),
      ...(req.name ? { name: req.name } : {}),
    };
    return this.call('CreateGrant', req.caller, params, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:CreateGrant', 'CreateGrant');
      this.store.requireNotPendingDeletion(key);
      if (req.operations.length === 0 || !req.operations.every(isGrantOperation)) {
        throw kmsErrors.validation(`Grant operations must be a non-empty subset of the grant operations: ${req.operations.join(', ')}`);
      }
      const grant: Grant = {
        grantId: this.ids.hex(32),
        grantToken: this.ids.hex(48),
        keyId: key.keyId,
        granteePrincipal: req.granteePrincipal,
        operations: [...req.operations],
        issuingAccount: `arn:aws:iam::${this.accountId}:root`,
        creationDateMs: this.clock.now(),
        ...(req.name ? { name: req.name } : {}),
        ...(req.retiringPrincipal ? { retiringPrincipal: req.retiringPrincipal } : {}),
        ...(req.constraints ? { constraints: req.constraints } : {}),
      };
      this.store.grants.set(grant.grantId, grant);
      t.response = { grantId: grant.grantId };
      return { GrantId: grant.grantId, GrantToken: grant.grantToken };
    });
  }

  listGrants(req: { keyId: string } & Who): Promise<GrantListEntry[]> {
    return this.call('ListGrants', req.caller, { keyId: req.keyId }, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:ListGrants', null);
      return [...this.store.grants.values()]
        .filter((g) => g.keyId === key.keyId)
        .map((g) => ({
          KeyId: key.arn,
          GrantId: g.grantId,
          ...(g.name ? { Name: g.name } : {}),
          CreationDate: new Date(g.creationDateMs),
          GranteePrincipal: g.granteePrincipal,
          ...(g.retiringPrincipal ? { RetiringPrincipal: g.retiringPrincipal } : {}),
          IssuingAccount: g.issuingAccount,
          Operations: [...g.operations],
          ...(g.constraints ? { Constraints: g.constraints } : {}),
        }));
    });
  }

  /** By grant token, or by key and grant id; allowed to the retiring principal, the grantee or the account root. */
  retireGrant(req: ({ grantToken: string } | { keyId: string; grantId: string }) & Who): Promise<void> {
    // KMS logs the key and grant a token resolves to, not the token; filled in once known.
    const params: Record<string, unknown> = 'grantToken' in req ? {} : { keyId: req.keyId, grantId: req.grantId };
    return this.call('RetireGrant', req.caller, params, (t, who) => {
      let grant: Grant | undefined;
      if ('grantToken' in req) {
        grant = [...this.store.grants.values()].find((g) => g.grantToken === req.grantToken);
        if (!grant) throw new KmsError('InvalidGrantTokenException', 'The grant token is not valid.');
        Object.assign(params, { keyId: this.store.arnOf(grant.keyId), grantId: grant.grantId });
      } else {
        const key = this.store.resolve(req.keyId);
        t.resources.push(key.arn);
        grant = this.store.grants.get(req.grantId);
        if (!grant || grant.keyId !== key.keyId) throw kmsErrors.notFound(`Grant ${req.grantId}`);
      }
      const arn = this.store.arnOf(grant.keyId);
      if (!t.resources.includes(arn)) t.resources.push(arn);
      const principals = who.roleArn ? [who.arn, who.roleArn] : [who.arn];
      if (!mayRetire(grant, principals, who.type === 'Root', who.accountId)) {
        throw kmsErrors.accessDenied(who.arn, 'kms:RetireGrant', arn, false);
      }
      this.store.grants.delete(grant.grantId);
    });
  }

  revokeGrant(req: { keyId: string; grantId: string } & Who): Promise<void> {
    return this.call('RevokeGrant', req.caller, { keyId: req.keyId, grantId: req.grantId }, (t, who) => {
      const key = this.store.resolve(req.keyId);
      t.resources.push(key.arn);
      this.authorize(key, who, 'kms:RevokeGrant', null);
      const grant = this.store.grants.get(req.grantId);
      if (!grant || grant.keyId !== key.keyId) throw kmsErrors.notFound(`Grant ${req.grantId}`);
      this.store.grants.delete(req.grantId);
    });
  }
}
