import { describe, expect, it } from 'vitest';
import { normalizeErrorCode } from '../../lib/model/normalize-cloudtrail';
import { ACCOUNT, KEY_ARN, KEY_ID, MATERIAL_A, failed, identities, kmsApiCall } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';

const decrypt = kmsApiCall({
  eventName: 'Decrypt',
  userIdentity: identities.assumedRole(),
  requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { tenant: 'acme' } },
  additionalEventData: { keyMaterialId: MATERIAL_A },
  readOnly: true,
});
const generate = kmsApiCall({ eventName: 'GenerateDataKey', requestParameters: { keyId: KEY_ID, keySpec: 'AES_256' }, additionalEventData: { keyMaterialId: MATERIAL_A }, readOnly: true });

/** Failures as KMS words them (errorMessage), and both spellings of AccessDenied that CloudTrail carries. */
const FAILURES: Array<[string, Record<string, unknown>, string, string]> = [
  ['Decrypt', decrypt, 'AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/OrdersService/orders-7f3c is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} because no resource-based policy allows the kms:Decrypt action`],
  ['Decrypt', decrypt, 'AccessDenied', `User: arn:aws:sts::${ACCOUNT}:assumed-role/OrdersService/orders-7f3c is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} with an explicit deny in a resource-based policy`],
  ['GenerateDataKey', generate, 'ThrottlingException', 'Rate exceeded'],
  ['GenerateDataKey', generate, 'KMSInvalidStateException', `${KEY_ARN} is pending deletion.`],
  ['Decrypt', decrypt, 'IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.'],
  ['GenerateDataKey', generate, 'DisabledException', `${KEY_ARN} is disabled.`],
  ['GenerateDataKey', generate, 'NotFoundException', `Key '${KEY_ARN}' does not exist`],
  ['Decrypt', decrypt, 'InvalidCiphertextException', 'The ciphertext is invalid, or was not encrypted under this key with this encryption context.'],
];

describe('failed calls', () => {
  it.each(FAILURES)('%s failing with %s: outcome failure, code and message as written', (_name, record, code, message) => {
    const event = accept(failed(record, code, message));
    expect(event.outcome).toBe('failure');
    expect(event.errorCode).toBe(code);
    expect(event.errorMessage).toBe(message);
    expect(event.keyArn).toBe(KEY_ARN);
    expect(event.keyMaterialId).toBeNull();
  });

  it('a successful call: outcome success, no error', () => {
    const event = accept(decrypt);
    expect(event).toMatchObject({ outcome: 'success', errorCode: null, errorMessage: null });
  });

  it('an errorCode without errorMessage is a failure too', () => {
    const { errorMessage: _dropped, ...record } = failed(decrypt, 'KMSInternalException', 'x');
    const event = accept(record);
    expect(event.outcome).toBe('failure');
    expect(event.errorMessage).toBeNull();
  });

  it('a very long errorMessage or userAgent is cut to fit; raw keeps all of it', () => {
    const long = 'x'.repeat(5000);
    const record = { ...failed(decrypt, 'ValidationException', long), userAgent: long };
    const event = accept(record);
    expect(event.errorMessage).toHaveLength(4096);
    expect(event.userAgent).toHaveLength(4096);
    expect((event.raw as { errorMessage: string }).errorMessage).toHaveLength(5000);
  });
});

describe('normalizeErrorCode', () => {
  it.each([
    ['AccessDenied', 'AccessDeniedException'],
    ['AccessDeniedException', 'AccessDeniedException'],
    ['accessdenied', 'AccessDeniedException'],
    ['ThrottlingException', 'ThrottlingException'],
    ['Throttling', 'ThrottlingException'],
    ['RequestLimitExceeded', 'ThrottlingException'],
    ['TooManyRequestsException', 'ThrottlingException'],
    ['IncorrectKeyException', 'IncorrectKeyException'],
    ['IncorrectKey', 'IncorrectKeyException'],
    ['KMSInvalidStateException', 'KMSInvalidStateException'],
    ['KMSInvalidState', 'KMSInvalidStateException'],
    ['InvalidStateException', 'KMSInvalidStateException'],
    ['DisabledException', 'DisabledException'],
    ['Disabled', 'DisabledException'],
    ['NotFound', 'NotFoundException'],
    ['InvalidCiphertext', 'InvalidCiphertextException'],
    ['InternalFailure', 'KMSInternalException'],
    ['KMSInternal', 'KMSInternalException'],
    ['DependencyTimeout', 'DependencyTimeoutException'],
    [' ValidationException ', 'ValidationException'],
  ])('%s → %s', (code, canonical) => {
    expect(normalizeErrorCode(code)).toBe(canonical);
  });

  it('a resource quota is not throttling', () => {
    expect(normalizeErrorCode('LimitExceededException')).toBe('LimitExceededException');
    expect(normalizeErrorCode('LimitExceeded')).toBe('LimitExceededException');
  });

  it('codes it does not know come back as written', () => {
    expect(normalizeErrorCode('UnrecognizedClientException')).toBe('UnrecognizedClientException');
    expect(normalizeErrorCode('SomethingNew')).toBe('SomethingNew');
  });
});
