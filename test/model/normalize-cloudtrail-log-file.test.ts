import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../lib/model/audit-event';
import { normalizeCloudTrailLogFile, normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';
import { s3PutObject } from '../support/cloudtrail-fixtures';

const KEY = 'arn:aws:kms:eu-central-1:111122223333:key/6f1c2e3d-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/cloudtrail/${name}`, import.meta.url), 'utf8'));
}

describe('records of other services', () => {
  it('an S3 PutObject is skipped as not_kms, with a reason, and never treated as malformed', () => {
    const result = normalizeCloudTrailRecord(s3PutObject());
    expect(result).toEqual({ ok: false, skip: 'not_kms', reason: 'eventSource is s3.amazonaws.com, not kms.amazonaws.com' });
  });

  it('only eventSource is read: a non-KMS record is skipped whatever else it holds', () => {
    const result = normalizeCloudTrailRecord({ eventSource: 'sts.amazonaws.com', eventID: 42 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.skip).toBe('not_kms');
  });
});

describe('normalizeCloudTrailLogFile', () => {
  it('a delivered file: one result per record, in order, with its index', () => {
    const file = loadFixture('log-file-mixed.json');
    const out = normalizeCloudTrailLogFile(file);
    if (!out.ok) throw new Error(out.reason);
    expect(out.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    const [decrypt, s3, rotate, bad, throttled] = out.results.map((r) => r.result);

    if (!decrypt?.ok) throw new Error('decrypt rejected');
    expect(decrypt.event).toMatchObject({
      eventName: 'Decrypt',
      keyArn: KEY,
      keyMaterialId: '0a4c1fd7e64a0f2b52c4c6a2d5a3b1e0c9f8e7d6c5b4a392817161514131211f',
      encryptionContext: { 'aws:ebs:id': 'vol-0f1e2d3c4b5a69788' },
      sourceIp: 'ec2.amazonaws.com',
      principal: { type: 'AssumedRole', invokedBy: 'ec2.amazonaws.com', roleArn: 'arn:aws:iam::111122223333:role/ebs-worker' },
    });
    expect(decrypt.event.raw).toBe((file as { Records: unknown[] }).Records[0]);

    expect(s3).toMatchObject({ ok: false, skip: 'not_kms' });

    if (!rotate?.ok) throw new Error('rotate rejected');
    expect(rotate.event).toMatchObject({ eventName: 'RotateKey', management: true, keyArn: KEY, principal: { type: 'AWSService', invokedBy: 'AWS Internal' } });
    expect(rotate.event.keyMaterialId).toMatch(/^7d3e/);
    expect(rotate.event.previousKeyMaterialId).toMatch(/^0a4c/);

    expect(bad).toEqual({ ok: false, reason: 'eventID: expected string, got number' });

    if (!throttled?.ok) throw new Error('throttled rejected');
    expect(throttled.event).toMatchObject({ outcome: 'failure', errorCode: 'ThrottlingException', keyArn: KEY, keyMaterialId: null, encryptionContext: { tenant: 'acme', service: 'orders' } });

    for (const r of out.results) if (r.result.ok) AuditEventSchema.parse(r.result.event);
  });

  it('an empty Records array is a valid, empty file', () => {
    expect(normalizeCloudTrailLogFile({ Records: [] })).toEqual({ ok: true, results: [] });
  });

  it.each([
    [{ Records: {} }, 'Records: expected array, got object'],
    [{ Records: 'x' }, 'Records: expected array, got string'],
    [{ records: [] }, 'Records: required field is missing'],
    [[], 'log file: expected object with a Records array, got array'],
    [null, 'log file: expected object with a Records array, got null'],
  ])('%j → %s', (input, reason) => {
    expect(normalizeCloudTrailLogFile(input)).toEqual({ ok: false, reason });
  });

  it('a record that is not an object is rejected on its own', () => {
    const out = normalizeCloudTrailLogFile({ Records: ['oops', null] });
    expect(out).toEqual({
      ok: true,
      results: [
        { index: 0, result: { ok: false, reason: 'record: expected object, got string' } },
        { index: 1, result: { ok: false, reason: 'record: expected object, got null' } },
      ],
    });
  });
});
