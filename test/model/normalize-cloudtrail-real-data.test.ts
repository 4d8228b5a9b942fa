import { describe, expect, it } from 'vitest';
import { normalizeErrorCode } from '../../lib/model/normalize-cloudtrail';
import { ACCOUNT, KEY_ARN, MATERIAL_A, OTHER_ACCOUNT, failed, identities, keyResource, kmsApiCall } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';

/**
 * The details real trails need, each on the record shape KMS writes: a Decrypt names its
 * key only in resources[]; the KEK version is additionalEventData.keyMaterialId; the
 * context is kept whole (it joins events to DEK records); a caller from another account
 * is logged in both accounts' trails, and both accounts are kept.
 */
const partner = identities.assumedRole(OTHER_ACCOUNT, 'PartnerIngest', 'ingest-42');
const context = { 'aws:s3:arn': 'arn:aws:s3:::orders-archive/2025/05/21/order-88121.json', tenant: 'acme', 'object-id': 'obj-7f3c', purpose: 'orders' };

const crossAccountDecrypt = (recipientAccountId: string, label: string) =>
  kmsApiCall({
    eventName: 'Decrypt', label, userIdentity: partner, recipientAccountId,
    requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: context },
    additionalEventData: { keyMaterialId: MATERIAL_A }, readOnly: true, resources: [keyResource(KEY_ARN, ACCOUNT)],
  });

describe('real-data normalization', () => {
  it('Decrypt without requestParameters.keyId: key from resources[], version from keyMaterialId, the whole context', () => {
    const e = accept(crossAccountDecrypt(ACCOUNT, 'owner-trail'));
    expect(e).toMatchObject({ keyArn: KEY_ARN, keyId: KEY_ARN.split('/')[1], keyMaterialId: MATERIAL_A, encryptionContext: context });
    expect(Object.keys(e.encryptionContext!)).toHaveLength(4);
  });

  it.each([
    ['the key owner\'s trail', ACCOUNT],
    ['the caller\'s trail', OTHER_ACCOUNT],
  ])('a cross-account caller in %s: both accounts kept, crossAccount set', (_where, recipient) => {
    const e = accept(crossAccountDecrypt(recipient, `trail-${recipient}`));
    expect(e.accountId).toBe(recipient);
    expect(e.principal).toMatchObject({ accountId: OTHER_ACCOUNT, roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/PartnerIngest`, type: 'AssumedRole' });
    expect(e.keyArn).toContain(`:${ACCOUNT}:key/`);
    expect(e.crossAccount).toBe(true);
  });

  it.each([
    ['AccessDenied', 'AccessDeniedException'],
    ['AccessDeniedException', 'AccessDeniedException'],
    ['IncorrectKeyException', 'IncorrectKeyException'],
    ['KMSInvalidStateException', 'KMSInvalidStateException'],
    ['ThrottlingException', 'ThrottlingException'],
    ['Throttling', 'ThrottlingException'],
  ])('%s is kept as written, and groups as %s', (code, canonical) => {
    const e = accept(failed(crossAccountDecrypt(ACCOUNT, `f-${code}`), code, 'message as KMS wrote it'));
    expect(e).toMatchObject({ outcome: 'failure', errorCode: code, keyMaterialId: null });
    expect(normalizeErrorCode(e.errorCode!)).toBe(canonical);
  });
});
