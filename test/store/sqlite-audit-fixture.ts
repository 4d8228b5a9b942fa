import { readFileSync } from 'node:fs';
import { SeededRandom } from '../../lib/engine/random';
import { AuditEventSchema, type AuditEvent } from '../../lib/model/audit-event';
import { normalizeCloudTrailLogFile, normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';
import { KEY2_ARN, KEY_ARN, MRK_ARN, failed, identities, kmsApiCall, kmsServiceEvent, uuidFor } from '../support/cloudtrail-fixtures';
import { isKms, publicCorpus } from '../support/public-corpus';

/** The fixture's window: 30 hours from an hour boundary, so ranges inside it cut hours both ways. */
export const T0 = Date.UTC(2026, 2, 1);
export const HOUR = 3_600_000;
export const SPAN = 30 * HOUR;

export const INJECTION = "x'); DROP TABLE audit_events; --";
export const PRINCIPALS = ['arn:aws:iam::111122223333:role/orders', 'arn:aws:iam::111122223333:user/Alice', 'arn:aws:iam::444455556666:role/partner', 'kms.amazonaws.com'];
export const SOURCES = ['10.0.0.1', '10.0.7.200', '10.1.2.3', '192.168.1.20', '203.0.113.9', '2001:db8::1', '2001:db8:0:1::5', '2001:db9::7', '::ffff:10.0.0.9',
  'fe80::1%eth0', 'kms.amazonaws.com', 'AWS Internal', INJECTION];
export const USER_AGENTS = ['aws-sdk-java/2.25.40 Linux/6.1', 'aws-cli/2.17.20 md/command#kms.decrypt', 'Boto3/1.34.0 Python/3.12', '[S3]', INJECTION];
const KEYS = [KEY_ARN, KEY2_ARN, MRK_ARN, 'arn:aws:kms:eu-west-1:444455556666:key/7a7a7a7a-1111-2222-3333-444444444444'];
const ERRORS: Array<[string, string]> = [
  ['AccessDenied', 'User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: kms:Decrypt'],
  ['AccessDeniedException', 'The ciphertext refers to a KMS key that does not exist, ÜBER denied'],
  ['ThrottlingException', 'Rate exceeded'],
  ['InvalidCiphertextException', `Bad ciphertext [abc]*? ${INJECTION}`],
];
const CONTEXTS: Array<Record<string, string> | null> = [
  null, {}, { tenant: 'acme' }, { tenant: 'ACME', 'aws:s3:arn': 'arn:aws:s3:::orders/2026/01.json' }, { tenant: 'globex', order: '[x]*?' },
  { 'aws:ebs:id': 'vol-0f1e2d3c4b5a69788' }, { tenant: INJECTION }, { 'Tenant': 'acme', 'ünï': 'cödé' },
];

/** KMS events normalized from real CloudTrail records (the public corpus, a delivered log file, the developer guide's shapes). */
export function realEvents(): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const { record } of publicCorpus()) {
    if (!isKms(record)) continue;
    const r = normalizeCloudTrailRecord(record);
    if (r.ok) out.push(r.event);
  }
  const file = normalizeCloudTrailLogFile(JSON.parse(readFileSync(new URL('../fixtures/cloudtrail/log-file-mixed.json', import.meta.url), 'utf8')));
  if (file.ok) for (const { result } of file.results) if (result.ok) out.push(result.event);
  const built = [
    kmsApiCall({ eventName: 'Decrypt', label: 'a', requestParameters: { encryptionContext: { tenant: 'acme' }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } }),
    kmsApiCall({ eventName: 'GenerateDataKey', label: 'b', userIdentity: identities.assumedRole(), sourceIPAddress: '2001:db8::42' }),
    failed(kmsApiCall({ eventName: 'Decrypt', label: 'c', userIdentity: identities.root }), 'AccessDenied', 'Access denied'),
    kmsServiceEvent({ eventName: 'RotateKey', label: 'd' }),
    kmsApiCall({ eventName: 'Encrypt', label: 'e', userIdentity: identities.awsService('s3.amazonaws.com'), sourceIPAddress: 's3.amazonaws.com' }),
  ];
  for (const rec of built) {
    const r = normalizeCloudTrailRecord(rec);
    if (r.ok) out.push(r.event);
  }
  return out;
}

/** Generated events covering each field's shapes: nulls, both IP families, service sources, contexts, ties in time. */
export function generatedEvents(seed: number, count: number): AuditEvent[] {
  const r = new SeededRandom(seed);
  const maybe = <T>(p: number, v: () => T): T | null => (r.chance(p) ? v() : null);
  const out: AuditEvent[] = [];
  let t = T0;
  for (let i = 0; i < count; i++) {
    // Some events share a millisecond, so paging needs its tie-breaker.
    if (!r.chance(0.15)) t = T0 + Math.floor(r.next() * SPAN);
    const keyArn = maybe(0.9, () => r.pick(KEYS));
    const err = maybe(0.2, () => r.pick(ERRORS));
    const name = maybe(0.95, () => r.pick(PRINCIPALS));
    const e: AuditEvent = {
      id: uuidFor(`gen:${seed}:${i}`),
      time: new Date(t).toISOString(),
      eventName: r.pick(['Decrypt', 'Decrypt', 'GenerateDataKey', 'Encrypt', 'ReEncrypt', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'Decrypt[*]']),
      eventType: maybe(0.9, () => r.pick(['AwsApiCall', 'AwsServiceEvent'])),
      readOnly: maybe(0.8, () => r.chance(0.5)),
      management: r.chance(0.2),
      keyArn,
      keyId: keyArn === null ? null : (keyArn.split('/')[1] as string),
      keyMaterialId: maybe(0.6, () => r.pick(['a'.repeat(64), 'b'.repeat(64), '0123abcd'.repeat(8)])),
      previousKeyMaterialId: null,
      reEncryptSource: null,
      principal: {
        type: r.pick(['AssumedRole', 'IAMUser', 'AWSService', 'Root'] as const),
        name,
        arn: maybe(0.8, () => r.pick(['arn:aws:sts::111122223333:assumed-role/orders/s-1', 'arn:aws:sts::111122223333:assumed-role/orders/s-2', 'arn:aws:iam::111122223333:user/Alice'])),
        accountId: maybe(0.9, () => r.pick(['111122223333', '444455556666'])),
        principalId: maybe(0.9, () => r.pick(['AROAEXAMPLE:s-1', 'AIDAEXAMPLE', INJECTION])),
        accessKeyId: maybe(0.7, () => r.pick(['ASIAEXAMPLE1', 'AKIAEXAMPLE2'])),
        roleArn: maybe(0.5, () => 'arn:aws:iam::111122223333:role/orders'),
        invokedBy: maybe(0.2, () => r.pick(['s3.amazonaws.com', 'AWS Internal'])),
      },
      sourceIp: maybe(0.95, () => r.pick(SOURCES)),
      userAgent: maybe(0.9, () => r.pick(USER_AGENTS)),
      region: maybe(0.95, () => r.pick(['us-east-1', 'us-west-2', 'eu-central-1', 'ap-south-1'])),
      accountId: maybe(0.97, () => r.pick(['111122223333', '444455556666'])),
      crossAccount: r.chance(0.1),
      outcome: err === null ? 'success' : 'failure',
      errorCode: err?.[0] ?? null,
      errorMessage: err === null ? null : maybe(0.9, () => err[1]),
      encryptionContext: r.pick(CONTEXTS),
      requestId: maybe(0.9, () => uuidFor(`req:${seed}:${i}`)),
      raw: { eventID: 'generated' },
    };
    out.push(AuditEventSchema.parse(e));
  }
  return out;
}

/** Real and generated events (each id once: the corpus repeats some records), the real ones spread over the window too. */
export function fixtureEvents(): AuditEvent[] {
  const real = [...new Map(realEvents().map((e) => [e.id, e])).values()].map((e, i) => ({ ...e, time: new Date(T0 + ((i * 7_919_000) % SPAN)).toISOString() }));
  return [...real, ...generatedEvents(7, 1500)];
}
