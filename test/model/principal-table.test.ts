import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import { accept } from '../support/normalize-helpers';
import { kmsApiCall } from '../support/cloudtrail-fixtures';

type Json = Record<string, unknown>;
const A = '111122223333';
const B = '444455556666';

/**
 * Every row of the principal table in docs/cloudtrail.md: the identity as AWS writes it
 * (shapes from the CloudTrail User Guide's userIdentity element), the principal and the
 * caller's account keyscope gives it.
 */
const ROWS: Array<[string, Json | undefined, { type: AuditEvent['principal']['type']; name: string | null; account: string | null }, Json?]> = [
  ['Root', { type: 'Root', principalId: A, arn: `arn:aws:iam::${A}:root`, accountId: A, accessKeyId: 'ASIAEXAMPLE' }, { type: 'Root', name: `arn:aws:iam::${A}:root`, account: A }],
  ['IAMUser', { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${A}:user/Alice`, accountId: A, accessKeyId: 'AKIAEXAMPLE', userName: 'Alice' }, { type: 'IAMUser', name: `arn:aws:iam::${A}:user/Alice`, account: A }],
  [
    'IAMUser with temporary credentials (empty sessionIssuer)',
    { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${A}:user/Alice`, accountId: A, accessKeyId: 'ASIAEXAMPLE', userName: 'Alice', sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: '2023-07-19T21:11:57Z', mfaAuthenticated: 'true' } } },
    { type: 'IAMUser', name: `arn:aws:iam::${A}:user/Alice`, account: A },
  ],
  [
    'AssumedRole',
    { type: 'AssumedRole', principalId: 'AROAEXAMPLE:s-1', arn: `arn:aws:sts::${A}:assumed-role/Orders/s-1`, accountId: A, accessKeyId: 'ASIAEXAMPLE', sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${A}:role/Orders`, accountId: A, userName: 'Orders' }, webIdFederationData: {}, attributes: { creationDate: '2023-07-19T21:11:57Z', mfaAuthenticated: 'false' }, ec2RoleDelivery: '2.0', sourceIdentity: 'alice' } },
    { type: 'AssumedRole', name: `arn:aws:iam::${A}:role/Orders`, account: A },
  ],
  [
    'AssumedRole with a partial sessionIssuer (no arn)',
    { type: 'AssumedRole', principalId: 'AROAEXAMPLE:s-1', arn: `arn:aws:sts::${A}:assumed-role/Orders/s-1`, accountId: A, sessionContext: { sessionIssuer: { type: 'Role' } } },
    { type: 'AssumedRole', name: `arn:aws:sts::${A}:assumed-role/Orders/s-1`, account: A },
  ],
  [
    'AssumedRole from another account (cross-account call)',
    { type: 'AssumedRole', principalId: 'AROAEXAMPLE:s-2', arn: `arn:aws:sts::${B}:assumed-role/Partner/s-2`, accountId: B, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${B}:role/Partner`, accountId: B } } },
    { type: 'AssumedRole', name: `arn:aws:iam::${B}:role/Partner`, account: B },
  ],
  [
    'AssumedRole of assumed root (assumedRoot)',
    { type: 'AssumedRole', principalId: A, arn: `arn:aws:sts::${A}:assumed-root/root-session`, accountId: A, sessionContext: { sessionIssuer: {}, assumedRoot: 'true' } },
    { type: 'AssumedRole', name: `arn:aws:sts::${A}:assumed-root/root-session`, account: A },
  ],
  ['Role', { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${A}:role/Ops`, accountId: A }, { type: 'Role', name: `arn:aws:iam::${A}:role/Ops`, account: A }],
  [
    'FederatedUser',
    { type: 'FederatedUser', principalId: `${A}:bob`, arn: `arn:aws:sts::${A}:federated-user/bob`, accountId: A, sessionContext: { sessionIssuer: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/Alice`, accountId: A } } },
    { type: 'FederatedUser', name: `arn:aws:sts::${A}:federated-user/bob`, account: A },
  ],
  ['AWSAccount (another account calling)', { type: 'AWSAccount', principalId: 'AIDAEXAMPLE', accountId: B }, { type: 'AWSAccount', name: B, account: B }],
  ['AWSService', { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, { type: 'AWSService', name: 'cloudtrail.amazonaws.com', account: null }],
  ['invokedBy on a role (a service acting for it)', { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/Orders/s-1`, accountId: A, invokedBy: 's3.amazonaws.com', sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Orders` } } }, { type: 'AssumedRole', name: `arn:aws:iam::${A}:role/Orders`, account: A }],
  ['no type, invokedBy (a KMS service event)', { accountId: A, invokedBy: 'kms.amazonaws.com' }, { type: 'AWSService', name: 'kms.amazonaws.com', account: A }, { eventType: 'AwsServiceEvent' }],
  ['no userIdentity, service event', undefined, { type: 'AWSService', name: 'kms.amazonaws.com', account: null }, { eventType: 'AwsServiceEvent' }],
  ['no userIdentity, API call', undefined, { type: 'Unknown', name: null, account: null }],
  [
    'IdentityCenterUser',
    { type: 'IdentityCenterUser', accountId: A, onBehalfOf: { userId: '544894e8-80c1-707f-60e3-3ba6510dfac1', identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-9067642ac7' }, credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE' },
    { type: 'IdentityCenterUser', name: 'arn:aws:identitystore::111122223333:identitystore/d-9067642ac7/user/544894e8-80c1-707f-60e3-3ba6510dfac1', account: A },
  ],
  ['Directory', { type: 'Directory', principalId: 'S-1-5-21-EXAMPLE', accountId: A, userName: 'jdoe' }, { type: 'Directory', name: 'S-1-5-21-EXAMPLE', account: A }],
  ['SAMLUser', { type: 'SAMLUser', principalId: 'SAMLExampleIdP:jdoe@example.com', userName: 'jdoe@example.com', identityProvider: 'bdGOnTesti4+ExampleRq2qBUtuE=' }, { type: 'SAMLUser', name: 'SAMLExampleIdP:jdoe@example.com', account: null }],
  ['WebIdentityUser', { type: 'WebIdentityUser', principalId: 'accounts.google.com:app.apps.googleusercontent.com:105EXAMPLE', userName: '105EXAMPLE', identityProvider: 'accounts.google.com' }, { type: 'WebIdentityUser', name: 'accounts.google.com:app.apps.googleusercontent.com:105EXAMPLE', account: null }],
  ['Unknown', { type: 'Unknown', principalId: 'EXAMPLE', accountId: A }, { type: 'Unknown', name: 'EXAMPLE', account: A }],
  ['a type AWS adds later', { type: 'QuantumUser', arn: `arn:aws:iam::${A}:quantum/q`, accountId: A }, { type: 'Unknown', name: `arn:aws:iam::${A}:quantum/q`, account: A }],
];

describe('the principal table (docs/cloudtrail.md)', () => {
  it.each(ROWS)('%s', (_row, userIdentity, want, extra) => {
    const base = kmsApiCall({ eventName: 'Decrypt', label: `row-${_row}`, readOnly: true, ...(extra ?? {}) });
    const record: Json = { ...base, ...(extra ?? {}) };
    if (userIdentity === undefined) delete record.userIdentity;
    else record.userIdentity = userIdentity;
    const { principal } = accept(record);
    expect({ type: principal.type, name: principal.name, account: principal.accountId }).toEqual(want);
  });

  it('covers every identity type keyscope knows', async () => {
    const { PRINCIPAL_TYPES } = await import('../../lib/model/audit-event');
    expect(new Set(ROWS.map(([, , w]) => w.type))).toEqual(new Set(PRINCIPAL_TYPES));
  });
});
