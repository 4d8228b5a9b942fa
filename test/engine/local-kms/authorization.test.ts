import { describe, expect, it } from 'vitest';
import type { KeyPolicyInput } from '../../../lib/engine/kek/local-kms/policy';
import { OTHER_ACCT, assumedRole, codeOf, errorOf, iamUser, makeKms } from './helpers';

const admin = iamUser('admin');
const app = assumedRole('orders-app');
const analyst = assumedRole('analyst');
const ctx = { tenant: 'acme' };

/** Admin manages; the orders role (by role ARN) may use the key only with tenant=acme. */
function appPolicy(extra: KeyPolicyInput['Statement'] = []): KeyPolicyInput {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'admin', Effect: 'Allow', Principal: { AWS: admin.arn }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'use',
        Effect: 'Allow',
        Principal: { AWS: [app.roleArn!] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } },
      },
      ...extra,
    ],
  };
}

async function setup(extra: KeyPolicyInput['Statement'] = []) {
  const env = makeKms({ defaultCaller: admin });
  const key = await env.kms.createKey({ policy: appPolicy(extra) });
  return { ...env, key };
}

describe('LocalKms key policies', () => {
  it('the default policy lets principals of the account in and keeps other accounts out', async () => {
    const { kms } = makeKms();
    const { KeyId, Arn } = await kms.createKey();
    await kms.generateDataKey({ keyId: KeyId, encryptionContext: {}, caller: app });
    const stranger = assumedRole('intruder', 'x', OTHER_ACCT);
    const err = await errorOf(kms.generateDataKey({ keyId: KeyId, encryptionContext: {}, caller: stranger }));
    expect(err.code).toBe('AccessDeniedException');
    expect(err.message).toBe(
      `User: ${stranger.arn} is not authorized to perform: kms:GenerateDataKey on resource: ${Arn} because no resource-based policy allows the kms:GenerateDataKey action`,
    );
  });

  it('allows the role named in the policy (matched through the assumed-role session) and denies others', async () => {
    const { kms, key } = await setup();
    const dk = await kms.generateDataKey({ keyId: key.KeyId, encryptionContext: ctx, caller: app });
    await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: app });
    const err = await errorOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: analyst }));
    expect(err.code).toBe('AccessDeniedException');
    expect(err.message).toContain(`User: ${analyst.arn} is not authorized to perform: kms:Decrypt on resource: ${key.Arn}`);
    // Not granted Encrypt, and not allowed to manage the key.
    expect(await codeOf(kms.encrypt({ keyId: key.KeyId, plaintext: Buffer.from('x'), encryptionContext: ctx, caller: app }))).toBe('AccessDeniedException');
    expect(await codeOf(kms.disableKey({ keyId: key.KeyId, caller: app }))).toBe('AccessDeniedException');
  });

  it('enforces encryption-context conditions', async () => {
    const { kms, key } = await setup();
    expect(await codeOf(kms.generateDataKey({ keyId: key.KeyId, encryptionContext: { tenant: 'globex' }, caller: app }))).toBe('AccessDeniedException');
    expect(await codeOf(kms.generateDataKey({ keyId: key.KeyId, encryptionContext: {}, caller: app }))).toBe('AccessDeniedException');
  });

  it('an explicit Deny wins over an Allow, with the explicit-deny message', async () => {
    const { kms, key } = await setup([{ Sid: 'no-decrypt', Effect: 'Deny', Principal: { AWS: app.roleArn! }, Action: 'kms:Decrypt', Resource: '*' }]);
    const dk = await kms.generateDataKey({ keyId: key.KeyId, encryptionContext: ctx, caller: app });
    const err = await errorOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: app }));
    expect(err.code).toBe('AccessDeniedException');
    expect(err.message).toContain('with an explicit deny in a resource-based policy');
  });

  it('PutKeyPolicy replaces the policy; malformed documents are refused', async () => {
    const { kms, key } = await setup();
    expect(await codeOf(kms.describeKey({ keyId: key.KeyId, caller: analyst }))).toBe('AccessDeniedException');
    await kms.putKeyPolicy({ keyId: key.KeyId, policy: appPolicy([{ Effect: 'Allow', Principal: { AWS: analyst.roleArn! }, Action: 'kms:DescribeKey' }]) });
    await kms.describeKey({ keyId: key.KeyId, caller: analyst });
    expect(JSON.parse((await kms.getKeyPolicy({ keyId: key.KeyId })).Policy).Statement).toHaveLength(3);
    expect(await codeOf(kms.putKeyPolicy({ keyId: key.KeyId, policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}' }))).toBe('ValidationException');
    expect(await codeOf(kms.putKeyPolicy({ keyId: key.KeyId, policy: 'not json' }))).toBe('ValidationException');
  });
});

describe('LocalKms grants', () => {
  it('a grant allows an otherwise-denied principal, within its operations and constraints, until retired', async () => {
    const { kms, key } = await setup();
    const dk = await kms.generateDataKey({ keyId: key.KeyId, encryptionContext: ctx, caller: app });
    expect(await codeOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: analyst }))).toBe('AccessDeniedException');

    const g = await kms.createGrant({
      keyId: key.KeyId,
      granteePrincipal: analyst.roleArn!,
      operations: ['Decrypt'],
      constraints: { EncryptionContextSubset: { tenant: 'acme' } },
      name: 'incident-1234',
    });
    expect(g.GrantId).toMatch(/^[0-9a-f]{64}$/);
    const u = await kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: analyst });
    expect(u.plaintext.equals(dk.plaintext)).toBe(true);
    // Outside the grant: another operation, or another context.
    expect(await codeOf(kms.generateDataKey({ keyId: key.KeyId, encryptionContext: ctx, caller: analyst }))).toBe('AccessDeniedException');
    const other = await kms.generateDataKey({ keyId: key.KeyId, encryptionContext: { tenant: 'acme', x: '1' }, caller: app });
    await kms.decrypt({ ciphertextBlob: other.ciphertextBlob, encryptionContext: { tenant: 'acme', x: '1' }, caller: analyst }); // subset holds

    const listed = await kms.listGrants({ keyId: key.KeyId });
    expect(listed.map((l) => [l.GrantId, l.Name, l.Operations])).toEqual([[g.GrantId, 'incident-1234', ['Decrypt']]]);

    await kms.retireGrant({ keyId: key.KeyId, grantId: g.GrantId, caller: analyst });
    expect(await kms.listGrants({ keyId: key.KeyId })).toEqual([]);
    expect(await codeOf(kms.decrypt({ ciphertextBlob: dk.ciphertextBlob, encryptionContext: ctx, caller: analyst }))).toBe('AccessDeniedException');
  });

  it('EncryptionContextEquals needs the exact context', async () => {
    const { kms, key } = await setup();
    await kms.createGrant({ keyId: key.KeyId, granteePrincipal: analyst.roleArn!, operations: ['Encrypt'], constraints: { EncryptionContextEquals: { tenant: 'acme' } } });
    await kms.encrypt({ keyId: key.KeyId, plaintext: Buffer.from('x'), encryptionContext: ctx, caller: analyst });
    expect(await codeOf(kms.encrypt({ keyId: key.KeyId, plaintext: Buffer.from('x'), encryptionContext: { tenant: 'acme', more: 'y' }, caller: analyst }))).toBe(
      'AccessDeniedException',
    );
  });

  it('an explicit Deny in the policy beats a grant', async () => {
    const { kms, key } = await setup([{ Effect: 'Deny', Principal: { AWS: analyst.roleArn! }, Action: 'kms:*' }]);
    await kms.createGrant({ keyId: key.KeyId, granteePrincipal: analyst.roleArn!, operations: ['Encrypt'] });
    expect(await codeOf(kms.encrypt({ keyId: key.KeyId, plaintext: Buffer.from('x'), encryptionContext: {}, caller: analyst }))).toBe('AccessDeniedException');
  });

  it('retire by token; only the retiring principal, grantee or root may retire; revoke needs policy permission', async () => {
    const { kms, key, records } = await setup();
    const retirer = iamUser('retirer');
    const g1 = await kms.createGrant({ keyId: key.KeyId, granteePrincipal: analyst.roleArn!, retiringPrincipal: retirer.arn, operations: ['Decrypt'] });
    expect(await codeOf(kms.retireGrant({ keyId: key.KeyId, grantId: g1.GrantId, caller: iamUser('mallory') }))).toBe('AccessDeniedException');
    expect(await codeOf(kms.retireGrant({ grantToken: 'bogus', caller: retirer }))).toBe('InvalidGrantTokenException');
    await kms.retireGrant({ grantToken: g1.GrantToken, caller: retirer });
    // The trail names the grant the token resolved to, never the token.
    expect(records.at(-1)!.requestParameters).toEqual({ keyId: key.Arn, grantId: g1.GrantId });
    expect(JSON.stringify(records)).not.toContain(g1.GrantToken);
    const g2 = await kms.createGrant({ keyId: key.KeyId, granteePrincipal: analyst.roleArn!, operations: ['Decrypt'] });
    expect(await codeOf(kms.revokeGrant({ keyId: key.KeyId, grantId: g2.GrantId, caller: app }))).toBe('AccessDeniedException');
    await kms.revokeGrant({ keyId: key.KeyId, grantId: g2.GrantId });
    expect(await codeOf(kms.revokeGrant({ keyId: key.KeyId, grantId: g2.GrantId }))).toBe('NotFoundException');
    expect(await codeOf(kms.createGrant({ keyId: key.KeyId, granteePrincipal: analyst.roleArn!, operations: ['DisableKey' as never] }))).toBe('ValidationException');
  });
});
