import { describe, expect, it } from 'vitest';
import { AuditEventSchema, type AuditEvent } from '../../lib/model/audit-event';
import { normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';
import { KEY_ID, kmsApiCall, kmsServiceEvent } from '../support/cloudtrail-fixtures';
import { KMS_EVENT_CATALOG } from '../support/kms-event-catalog';
import { accept, rejectReason } from '../support/normalize-helpers';

type Json = Record<string, unknown>;

const valid = (): Json => kmsApiCall({ eventName: 'GenerateDataKey', requestParameters: { keyId: KEY_ID, keySpec: 'AES_256', encryptionContext: { tenant: 'acme' } }, readOnly: true });

function without(record: Json, field: string): Json {
  const { [field]: _gone, ...rest } = record;
  return rest;
}

function withParams(params: Json): Json {
  return { ...valid(), requestParameters: params };
}

describe('records that cannot be identified are refused, with the field and the problem', () => {
  it.each<[string, () => unknown, string]>([
    ['not an object', () => 'Decrypt', 'record: expected object, got string'],
    ['an array', () => [valid()], 'record: expected object, got array'],
    ['missing eventTime', () => without(valid(), 'eventTime'), 'eventTime: required field is missing'],
    ['eventTime not a time', () => ({ ...valid(), eventTime: 'yesterday' }), 'eventTime: not a time (got "yesterday")'],
    ['eventTime without a zone', () => ({ ...valid(), eventTime: '2025-05-21T05:42:35' }), 'eventTime: not a time (got "2025-05-21T05:42:35")'],
    ['eventID not a string', () => ({ ...valid(), eventID: 12345 }), 'eventID: expected string, got number'],
    ['eventID blank', () => ({ ...valid(), eventID: '  ' }), 'eventID: must not be empty'],
    ['eventID over 128 characters', () => ({ ...valid(), eventID: 'e'.repeat(129) }), 'eventID: longer than 128 characters (129)'],
    ['missing eventSource', () => without(valid(), 'eventSource'), 'eventSource: required field is missing'],
    ['eventSource not a string', () => ({ ...valid(), eventSource: 7 }), 'eventSource: expected string, got number'],
    ['empty eventSource', () => ({ ...valid(), eventSource: '' }), 'eventSource: must not be empty'],
    ['missing eventName', () => without(valid(), 'eventName'), 'eventName: required field is missing'],
  ])('%s', (_what, build, reason) => {
    expect(rejectReason(build())).toBe(reason);
  });

  it('several problems are all named', () => {
    const record = { ...without(without(valid(), 'eventTime'), 'eventName'), eventID: 1 };
    expect(rejectReason(record)).toBe('eventID: expected string, got number; eventTime: required field is missing; eventName: required field is missing');
  });
});

describe('every other field is read liberally: stored, with what it lacks left empty', () => {
  it.each<[string, () => Json, (e: AuditEvent) => void]>([
    ['eventTime with milliseconds and an offset', () => ({ ...valid(), eventTime: '2025-05-21T07:42:35.120+02:00' }), (e) => expect(e.time).toBe('2025-05-21T05:42:35.120Z')],
    ['eventID not a UUID, kept as written', () => ({ ...valid(), eventID: 'evt-1' }), (e) => expect(e.id).toBe('evt-1')],
    ['an upper-case UUID eventID, lowercased', () => ({ ...valid(), eventID: 'A1B2C3D4-0000-4000-8000-00000000ABCD' }), (e) => expect(e.id).toBe('a1b2c3d4-0000-4000-8000-00000000abcd')],
    ['missing userIdentity', () => without(valid(), 'userIdentity'), (e) => expect(e.principal).toMatchObject({ type: 'Unknown', name: null, arn: null, accountId: null })],
    ['userIdentity null', () => ({ ...valid(), userIdentity: null }), (e) => expect(e.principal).toMatchObject({ type: 'Unknown', name: null })],
    ['an API call without userIdentity.type', () => ({ ...valid(), userIdentity: { accountId: '111122223333' } }), (e) => expect(e.principal).toMatchObject({ type: 'Unknown', name: '111122223333', accountId: '111122223333' })],
    ['missing recipientAccountId', () => without(valid(), 'recipientAccountId'), (e) => expect(e.accountId).toBeNull()],
    ['missing awsRegion', () => without(valid(), 'awsRegion'), (e) => expect(e.region).toBeNull()],
    ['missing sourceIPAddress', () => without(valid(), 'sourceIPAddress'), (e) => expect(e.sourceIp).toBeNull()],
    ['an eventType AWS adds later, kept', () => ({ ...valid(), eventType: 'AwsFutureEvent' }), (e) => expect(e.eventType).toBe('AwsFutureEvent')],
    ['no eventType', () => without(valid(), 'eventType'), (e) => expect(e.eventType).toBeNull()],
    ['any eventVersion', () => ({ ...valid(), eventVersion: '2' }), (e) => expect(e.raw.eventVersion).toBe('2')],
    ['readOnly as a string', () => ({ ...valid(), readOnly: 'true' }), (e) => expect(e.readOnly).toBeNull()],
    ['errorMessage without errorCode', () => ({ ...valid(), errorMessage: 'Rate exceeded' }), (e) => expect(e).toMatchObject({ outcome: 'success', errorCode: null, errorMessage: 'Rate exceeded' })],
    ['resources not an array', () => ({ ...valid(), resources: { ARN: 'x' } }), (e) => expect(e.keyId).toBe(KEY_ID)],
    ['a resource ARN not a string', () => ({ ...valid(), resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: 42 }] }), (e) => expect(e.keyId).toBe(KEY_ID)],
    ['requestParameters null', () => ({ ...valid(), requestParameters: null }), (e) => expect(e.encryptionContext).toBeNull()],
    ['requestParameters an array', () => ({ ...valid(), requestParameters: [] }), (e) => expect(e.encryptionContext).toBeNull()],
    ['responseElements null', () => ({ ...valid(), responseElements: null }), (e) => expect(e.outcome).toBe('success')],
    ['requestParameters.keyId not a string', () => withParams({ keyId: 42 }), (e) => expect(e.keyId).toBe(KEY_ID)],
    ['encryptionContext not an object', () => withParams({ keyId: KEY_ID, encryptionContext: 'tenant=acme' }), (e) => expect(e.encryptionContext).toBeNull()],
    ['an encryption context value not a string', () => withParams({ keyId: KEY_ID, encryptionContext: { tenant: 7 } }), (e) => expect(e.encryptionContext).toBeNull()],
    ['an empty encryption context key', () => withParams({ encryptionContext: { '': 'x' } }), (e) => expect(e.encryptionContext).toBeNull()],
    ['an encryption context value over 2048 characters', () => withParams({ encryptionContext: { tenant: 'a'.repeat(2049) } }), (e) => expect(e.encryptionContext).toBeNull()],
    ['keyMaterialId not a string', () => ({ ...valid(), additionalEventData: { keyMaterialId: 1 } }), (e) => expect(e.keyMaterialId).toBeNull()],
    ['userIdentity.arn over 2048 characters', () => ({ ...valid(), userIdentity: { type: 'IAMUser', arn: 'a'.repeat(3000), principalId: 'AIDAEXAMPLE' } }), (e) => expect(e.principal).toMatchObject({ arn: null, name: 'AIDAEXAMPLE' })],
    ['responseElements.keyMetadata not an object', () => ({ ...valid(), responseElements: { keyMetadata: 'k' } }), (e) => expect(e.keyId).toBe(KEY_ID)],
    ['an unknown field', () => ({ ...valid(), someFieldAwsAddsNextYear: { x: 1 } }), (e) => expect(e.raw.someFieldAwsAddsNextYear).toEqual({ x: 1 })],
  ])('%s', (_what, build, check) => {
    const record = build();
    const event = accept(record);
    check(event);
    // The raw record is the input as received, whatever was read of it.
    expect(event.raw).toBe(record);
  });

  it('a RotateKey whose currentKeyMaterialId is not a string: stored without a key material id', () => {
    const record = kmsServiceEvent({ eventName: 'RotateKey', serviceEventDetails: { rotationType: 'AUTOMATIC', currentKeyMaterialId: ['x'] } });
    expect(accept(record).keyMaterialId).toBeNull();
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
            expect(result.reason).toMatch(/^(eventID|eventTime|eventSource|eventName): /);
            rejected++;
          }
        }
      }
    }
    // Only the four identifying fields refuse damage; every other field reads it as empty.
    expect(rejected).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(rejected);
  });
});
