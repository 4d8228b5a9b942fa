import { randomUUID } from 'node:crypto';
import type { DekRecord } from '../../lib/model/dek-record';
import type { KeyOperation } from '../../lib/model/key-operation';

const KEK = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A valid KeyOperation; every tenth one is a throttled failure. */
export function makeOperation(i: number): KeyOperation {
  const failed = i % 10 === 9;
  return {
    id: randomUUID(),
    time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5) + i * 1000).toISOString(),
    service: 'billing',
    tenant: `tenant-${i % 3}`,
    operation: i % 2 === 0 ? 'unwrap' : 'generate_data_key',
    kekId: KEK,
    kekVersion: 'a1b2c3',
    dekId: `dek-${i}`,
    objectId: `obj-${i}`,
    outcome: failed ? 'failure' : 'success',
    errorClass: failed ? 'throttled' : null,
    errorCode: failed ? 'ThrottlingException' : null,
    latencyMs: 3.5 + i,
    cacheHit: i % 4 === 0,
    bytes: 1024 + i,
    traceId: `trace-${i}`,
    principal: 'arn:aws:sts::111122223333:assumed-role/billing/app',
    region: 'us-east-1',
    accountId: '111122223333',
  };
}

export function makeDekRecord(i: number): DekRecord {
  const t = new Date(Date.UTC(2026, 0, 2, 3, 4, 5) + i * 1000).toISOString();
  return {
    objectId: `obj-${i}`,
    objectPath: `s3://bucket/tenant-${i % 3}/obj-${i}`,
    dekId: `dek-${i}`,
    kekId: KEK,
    kekVersion: 'a1b2c3',
    tenant: `tenant-${i % 3}`,
    service: 'billing',
    encryptionContext: { tenant: `tenant-${i % 3}`, object: `obj-${i}` },
    bytes: 2048,
    encryptedAt: t,
    updatedAt: t,
    rotationStatus: 'current',
  };
}
