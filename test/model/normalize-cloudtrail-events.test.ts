import { describe, expect, it } from 'vitest';
import { KMS_EVENT_NAMES, kmsEventInfo } from '../../lib/model/normalize-cloudtrail';
import { KMS_EVENT_CATALOG } from '../support/kms-event-catalog';
import { KEY_ARN, failed, kmsApiCall } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';

const DATA_PLANE = new Set([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'ReEncrypt',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
  'GenerateRandom',
  'DeriveSharedSecret',
]);

describe('KMS event names', () => {
  it('the catalog has one fixture per known event name, and nothing else', () => {
    expect(Object.keys(KMS_EVENT_CATALOG).sort()).toEqual([...KMS_EVENT_NAMES].sort());
    expect(new Set(KMS_EVENT_NAMES).size).toBe(KMS_EVENT_NAMES.length);
  });

  it('exactly the cryptographic operations are data plane', () => {
    expect(KMS_EVENT_NAMES.filter((n) => !kmsEventInfo(n).management).sort()).toEqual([...DATA_PLANE].sort());
  });

  it('RotateKey, DeleteKey, DeleteExpiredKeyMaterial and SynchronizeMultiRegionKey are service events', () => {
    expect(KMS_EVENT_NAMES.filter((n) => kmsEventInfo(n).serviceEvent).sort()).toEqual(['DeleteExpiredKeyMaterial', 'DeleteKey', 'RotateKey', 'SynchronizeMultiRegionKey']);
  });

  it.each(KMS_EVENT_NAMES)('%s: normalizes with its plane, key, key material and the record as raw', (name) => {
    const entry = KMS_EVENT_CATALOG[name];
    const event = accept(entry.record);
    expect(event.eventName).toBe(name);
    expect(event.id).toBe(entry.record.eventID);
    expect(event.management).toBe(!DATA_PLANE.has(name));
    expect(event.keyArn).toBe(entry.keyArn);
    expect(event.keyId).toBe(entry.keyArn === null ? null : entry.keyArn.split('/')[1]);
    if (entry.keyMaterialId !== undefined) expect(event.keyMaterialId).toBe(entry.keyMaterialId);
    expect(event.readOnly).toBe(entry.record.readOnly);
    expect(event.eventType).toBe(entry.record.eventType);
    expect(event.outcome).toBe('success');
    expect(event.raw).toBe(entry.record);
  });

  it.each(KMS_EVENT_NAMES.filter((n) => KMS_EVENT_CATALOG[n].record.eventType === 'AwsApiCall'))(
    '%s: a failed call normalizes too (AccessDeniedException)',
    (name) => {
      const record = failed(KMS_EVENT_CATALOG[name].record, 'AccessDeniedException', `User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: kms:${name}`);
      const event = accept(record);
      expect(event.outcome).toBe('failure');
      expect(event.errorCode).toBe('AccessDeniedException');
      expect(event.management).toBe(!DATA_PLANE.has(name));
    },
  );

  it('an event name AWS adds later is accepted, filed under management, and flagged unknown', () => {
    const event = accept(kmsApiCall({ eventName: 'GetKeyLastUsage', readOnly: true }));
    expect(event.eventName).toBe('GetKeyLastUsage');
    expect(event.management).toBe(true);
    expect(event.keyArn).toBe(KEY_ARN);
    expect(kmsEventInfo('GetKeyLastUsage')).toEqual({ management: true, serviceEvent: false, known: false });
    expect(kmsEventInfo('Decrypt').known).toBe(true);
  });

  it('event names are matched exactly: a differently cased name is an unknown one', () => {
    expect(kmsEventInfo('decrypt').known).toBe(false);
    expect(accept(kmsApiCall({ eventName: 'decrypt' })).management).toBe(true);
  });
});
