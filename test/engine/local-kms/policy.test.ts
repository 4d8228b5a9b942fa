import { describe, expect, it } from 'vitest';
import { KeyPolicySchema, evaluatePolicy, type KeyPolicyInput, type PolicyRequest } from '../../../lib/engine/kek/local-kms/policy';

const KEY = 'arn:aws:kms:us-west-2:111122223333:key/11111111-2222-4333-8444-555555555555';
const ROLE = 'arn:aws:iam::111122223333:role/app';

function req(over: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    principalArns: ['arn:aws:sts::111122223333:assumed-role/app/s', ROLE],
    callerAccount: '111122223333',
    isService: false,
    action: 'kms:Decrypt',
    resourceArn: KEY,
    encryptionContext: { tenant: 'acme', env: 'prod' },
    ...over,
  };
}

function decide(statement: KeyPolicyInput['Statement'][number], r = req()) {
  return evaluatePolicy(KeyPolicySchema.parse({ Version: '2012-10-17', Statement: [statement] }), r);
}

const allow = { Effect: 'Allow' as const, Principal: { AWS: ROLE }, Action: 'kms:Decrypt' };

describe('key policy evaluation', () => {
  it('matches actions with wildcards, case-insensitively, and resources by ARN', () => {
    expect(decide({ ...allow, Action: 'kms:De*' })).toBe('allow');
    expect(decide({ ...allow, Action: 'KMS:decrypt' })).toBe('allow');
    expect(decide({ ...allow, Action: 'kms:Encrypt' })).toBe('implicit-deny');
    expect(decide({ ...allow, Resource: 'arn:aws:kms:us-west-2:111122223333:key/*' })).toBe('allow');
    expect(decide({ ...allow, Resource: 'arn:aws:kms:eu-west-1:111122223333:key/*' })).toBe('implicit-deny');
  });

  it('matches principals: role via session, account root or bare account id, "*", services only for service callers', () => {
    expect(decide({ ...allow, Principal: { AWS: '111122223333' } })).toBe('allow');
    expect(decide({ ...allow, Principal: { AWS: 'arn:aws:iam::111122223333:root' } }, req({ callerAccount: '999988887777' }))).toBe('implicit-deny');
    expect(decide({ ...allow, Principal: '*' })).toBe('allow');
    expect(decide({ ...allow, Principal: { Service: 's3.amazonaws.com' } })).toBe('implicit-deny');
    expect(decide({ ...allow, Principal: { Service: 's3.amazonaws.com' } }, req({ isService: true, invokedBy: 's3.amazonaws.com', principalArns: ['s3.amazonaws.com'] }))).toBe('allow');
  });

  it('evaluates String conditions on the encryption context, with IAM rules for missing keys', () => {
    const cond = (Condition: Record<string, Record<string, string | string[]>>) => decide({ ...allow, Condition });
    expect(cond({ StringLike: { 'kms:EncryptionContext:tenant': 'ac*' } })).toBe('allow');
    expect(cond({ StringEquals: { 'kms:EncryptionContext:tenant': ['globex', 'acme'] } })).toBe('allow');
    expect(cond({ StringEqualsIgnoreCase: { 'kms:EncryptionContext:tenant': 'ACME' } })).toBe('allow');
    expect(cond({ StringNotEquals: { 'kms:EncryptionContext:env': 'prod' } })).toBe('implicit-deny');
    // Missing key: positive operators fail, negated ones and IfExists hold.
    expect(cond({ StringEquals: { 'kms:EncryptionContext:region': 'eu' } })).toBe('implicit-deny');
    expect(cond({ StringNotEquals: { 'kms:EncryptionContext:region': 'eu' } })).toBe('allow');
    expect(cond({ StringEqualsIfExists: { 'kms:EncryptionContext:region': 'eu' } })).toBe('allow');
    // Set operators on the context's keys.
    expect(cond({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant', 'env', 'extra'] } })).toBe('allow');
    expect(cond({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant'] } })).toBe('implicit-deny');
    expect(cond({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['env'] } })).toBe('allow');
    expect(cond({ StringEquals: { 'aws:PrincipalArn': ROLE, 'kms:CallerAccount': '111122223333' } })).toBe('allow');
  });

  it('an applicable Deny overrides any Allow', () => {
    const policy = KeyPolicySchema.parse({
      Version: '2012-10-17',
      Statement: [allow, { Effect: 'Deny', Principal: '*', Action: 'kms:*', Condition: { StringNotEquals: { 'kms:EncryptionContext:env': 'prod' } } }],
    });
    expect(evaluatePolicy(policy, req())).toBe('allow');
    expect(evaluatePolicy(policy, req({ encryptionContext: { tenant: 'acme', env: 'dev' } }))).toBe('explicit-deny');
  });

  it('rejects documents outside the supported subset', () => {
    expect(KeyPolicySchema.safeParse({ Version: '2012-10-17', Statement: [{ ...allow, NotAction: 'kms:Encrypt' }] }).success).toBe(false);
    expect(KeyPolicySchema.safeParse({ Version: '2012-10-17', Statement: [{ ...allow, Condition: { NumericLessThan: { x: '1' } } }] }).success).toBe(false);
    expect(KeyPolicySchema.safeParse({ Version: '2012-10-17', Statement: [] }).success).toBe(false);
  });
});
