import { describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../lib/model/audit-event';
import { normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';
import { KEY_ID, kmsApiCall, kmsServiceEvent } from '../support/cloudtrail-fixtures';
import { KMS_EVENT_CATALOG } from '../support/kms-event-catalog';
import { rejectReason } from '../support/normalize-helpers';

type Json = Record<string, unknown>;

const valid = (): Json => kmsApiCall({ eventName: 'GenerateDataKey', requestParameters: { keyId: KEY_ID, keySpec: 'AES_256', encryptionContext: { tenant: 'acme' } }, readOnly: true });

function without(record: Json, field: string): Json {
  const { [field]: _gone, ...rest } = record;
  return rest;
}

function withParams(params: Json): Json {
  return { ...valid(), requestParameters: params };
}

describe('malformed records: the reason names the field and the problem', () => {
  it.each<[string, () => unknown, string]>([
    ['not an object', () => 'Decrypt', 'record: expected object, got string'],
    ['an array', () => [valid()], 'record: expected object, got array'],
    ['missing eventTime', () => without(valid(), 'eventTime'), 'eventTime: required field is missing'],
    ['eventTime not ISO 8601', () => ({ ...valid(), eventTime: '2025/05/21 05:42:35' }), 'eventTime: invalid datetime (got "2025/05/21 05:42:35")'],
    ['eventID not a string', () => ({ ...valid(), eventID: 12345 }), 'eventID: expected string, got number'],
    ['eventID not a UUID', () => ({ ...valid(), eventID: 'evt-1' }), 'eventID: invalid uuid (got "evt-1")'],
    ['missing eventSource', () => without(valid(), 'eventSource'), 'eventSource: required field is missing'],
    ['eventSource not a string', () => ({ ...valid(), eventSource: 7 }), 'eventSource: expected string, got number'],
    ['empty eventSource', () => ({ ...valid(), eventSource: '' }), 'eventSource: must not be empty'],
    ['missing eventName', () => without(valid(), 'eventName'), 'eventName: required field is missing'],
    ['missing userIdentity', () => without(valid(), 'userIdentity'), 'userIdentity: required field is missing'],
    ['userIdentity null', () => ({ ...valid(), userIdentity: null }), 'userIdentity: expected object, got null'],
    ['an API call without userIdentity.type', () => ({ ...valid(), userIdentity: { accountId: '111122223333' } }), 'userIdentity.type: AwsApiCall records carry userIdentity.type'],
    ['missing recipientAccountId', () => without(valid(), 'recipientAccountId'), 'recipientAccountId: required field is missing'],
    ['unknown eventType', () => ({ ...valid(), eventType: 'AwsApiCal' }), 'eventType: expected one of AwsApiCall, AwsServiceEvent, AwsConsoleAction, AwsConsoleSignIn, AwsCloudTrailInsight, AwsVpceEvent (got "AwsApiCal")'],
    ['eventVersion not major.minor', () => ({ ...valid(), eventVersion: '1' }), 'eventVersion: invalid format (major.minor) (got "1")'],
    ['readOnly as a string', () => ({ ...valid(), readOnly: 'true' }), 'readOnly: expected boolean, got string'],
    ['errorMessage without errorCode', () => ({ ...valid(), errorMessage: 'Rate exceeded' }), 'errorCode: errorMessage without errorCode'],
    ['resources not an array', () => ({ ...valid(), resources: { ARN: 'x' } }), 'resources: expected array, got object'],
    ['a resource ARN not a string', () => ({ ...valid(), resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: 42 }] }), 'resources[0].ARN: expected string, got number'],
    ['requestParameters an array', () => ({ ...valid(), requestParameters: [] }), 'requestParameters: expected record, got array'],
    ['requestParameters.keyId not a string', () => withParams({ keyId: 42 }), 'requestParameters.keyId: expected string, got number'],
    ['encryptionContext not an object', () => withParams({ keyId: KEY_ID, encryptionContext: 'tenant=acme' }), 'requestParameters.encryptionContext: expected object, got string'],
    ['an encryption context value not a string', () => withParams({ keyId: KEY_ID, encryptionContext: { tenant: 7 } }), 'requestParameters.encryptionContext.tenant: expected string, got number'],
    ['an aws: context value not a string', () => withParams({ encryptionContext: { 'aws:s3:arn': { bucket: 'x' } } }), 'requestParameters.encryptionContext["aws:s3:arn"]: expected string, got object'],
    ['an empty encryption context key', () => withParams({ encryptionContext: { '': 'x' } }), 'requestParameters.encryptionContext[""]: encryption context keys must not be empty'],
    ['an encryption context value over 2048 characters', () => withParams({ encryptionContext: { tenant: 'a'.repeat(2049) } }), 'requestParameters.encryptionContext.tenant: longer than 2048 characters (2049)'],
    ['keyMaterialId not a string', () => ({ ...valid(), additionalEventData: { keyMaterialId: 1 } }), 'additionalEventData.keyMaterialId: expected string, got number'],
    ['userIdentity.arn over 2048 characters', () => ({ ...valid(), userIdentity: { type: 'IAMUser', arn: 'a'.repeat(3000) } }), 'userIdentity.arn: longer than 2048 characters (3000)'],
    ['responseElements.keyMetadata not an object', () => ({ ...valid(), responseElements: { keyMetadata: 'k' } }), 'responseElements.keyMetadata: expected object, got string'],
  ])('%s', (_what, build, reason) => {
    expect(rejectReason(build())).toBe(reason);
  });

  it('a RotateKey whose currentKeyMaterialId is not a string', () => {
    const record = kmsServiceEvent({ eventName: 'RotateKey', serviceEventDetails: { rotationType: 'AUTOMATIC', currentKeyMaterialId: ['x'] } });
    expect(rejectReason(record)).toBe('serviceEventDetails.currentKeyMaterialId: expected string, got array');
  });

  it('several problems: the first three, and how many more', () => {
    const record = { ...without(without(valid(), 'eventTime'), 'awsRegion'), eventID: 1, eventType: 'X', recipientAccountId: 5 };
    expect(rejectReason(record)).toBe(
      'eventTime: required field is missing; awsRegion: required field is missing; eventID: expected string, got number; (+2 more)',
    );
  });

  it('a wrongly typed field is reported even where another field decides (resources[] gives the key)', () => {
    expect(rejectReason(withParams({ keyId: KEY_ID, targetKeyId: 9 }))).toBe('requestParameters.targetKeyId: expected string, got number');
  });
});

describe('any damage to any field', () => {
  const JUNK: unknown[] = [undefined, null, 0, 'x', '', true, [], {}, [1], { a: 1 }];

  it('gives an event that fits AuditEvent, or a reason naming a field; it never throws', () => {
    let accepted = 0;
    let rejected = 0;
    const names = ['Decrypt', 'ReEncrypt', 'CreateKey', 'CreateAlias', 'ImportKeyMaterial', 'RotateKey', 'ListKeys'] as const;
    for (const { record } of names.map((n) => KMS_EVENT_CATALOG[n])) {
      for (const field of Object.keys(record)) {
        for (const junk of JUNK) {
          const result = normalizeCloudTrailRecord({ ...record, [field]: junk });
          if (result.ok) {
            AuditEventSchema.parse(result.event);
            accepted++;
          } else if (result.skip !== 'not_kms') {
            expect(result.reason).toMatch(/^[A-Za-z]+(\[\d+\]|\.[A-Za-z]+)*: /);
            rejected++;
          }
        }
      }
    }
    // Optional fields take null or absence; required ones and wrong types are refused.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(accepted);
  });
});
