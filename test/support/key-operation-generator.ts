import type { ErrorClass } from '../../lib/engine/errors';
import { SeededRandom } from '../../lib/engine/random';
import { AuditEventSchema, type AuditEvent } from '../../lib/model/audit-event';
import { KeyOperationSchema, type KeyOperation, type KeyOperationKind } from '../../lib/model/key-operation';

export const SERVICES = ['messaging-api', 'attachments-svc', 'billing-export', 'search-indexer'] as const;
export const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'] as const;
export const KEKS = [
  'arn:aws:kms:us-east-1:111122223333:key/0b6f1f3e-1111-4a4a-8b8b-000000000001',
  'arn:aws:kms:us-east-1:111122223333:key/0b6f1f3e-2222-4a4a-8b8b-000000000002',
  'arn:aws:kms:us-east-1:111122223333:key/0b6f1f3e-3333-4a4a-8b8b-000000000003',
] as const;

/** A seeded, valid v4 UUID, so fixtures are reproducible. */
export function seededUuid(r: SeededRandom): string {
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = (8 + r.int(0, 3)).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type Window = { fromMs: number; toMs: number };
export type OperationShape = {
  /** Spans with no traffic at all (to see gaps). */
  gaps?: Window[];
  /** Spans where KMS fails often (outage or throttling), to make burn rates move. */
  incidents?: Array<Window & { failureRate: number; errorClass: ErrorClass }>;
  baseFailureRate?: number;
};

/**
 * Realistic key operations: services, tenants with their own KEK, mostly unwraps, a
 * log-normal latency rounded to 0.1 ms (so ties occur, as they do in real timings),
 * a DEK cache on unwraps, a few failures of several classes. Times are uniform in the
 * range outside the gaps. Every record passes the model schema.
 */
export function generateOperations(seed: number, count: number, range: Window, shape: OperationShape = {}): KeyOperation[] {
  const r = new SeededRandom(seed);
  const out: KeyOperation[] = [];
  const inside = (t: number, w: Window): boolean => t >= w.fromMs && t < w.toMs;
  while (out.length < count) {
    const t = range.fromMs + Math.floor(r.next() * (range.toMs - range.fromMs));
    if (shape.gaps?.some((g) => inside(t, g))) continue;
    const tenantIndex = r.int(0, TENANTS.length - 1);
    const operation = r.weighted<KeyOperationKind>([['unwrap', 60], ['generate_data_key', 12], ['wrap', 5], ['encrypt', 10], ['decrypt', 10], ['rewrap', 3]]);
    const incident = shape.incidents?.find((i) => inside(t, i));
    const failed = r.chance(incident?.failureRate ?? shape.baseFailureRate ?? 0.02);
    const errorClass: ErrorClass | null = failed
      ? (incident?.errorClass ?? r.weighted<ErrorClass>([['throttled', 4], ['kms_unavailable', 2], ['timeout', 2], ['access_denied', 1], ['integrity', 1]]))
      : null;
    const latency = errorClass === 'timeout' ? 1000 + r.int(0, 2000) : Math.round(r.logNormal(25, 0.9) * 10) / 10;
    out.push({
      id: seededUuid(r),
      time: new Date(t).toISOString(),
      service: r.pick(SERVICES),
      tenant: TENANTS[tenantIndex]!,
      operation,
      kekId: KEKS[tenantIndex % KEKS.length]!,
      kekVersion: r.chance(0.7) ? 'v2' : 'v1',
      dekId: `dek-${r.int(1, 500)}`,
      objectId: `obj-${r.int(1, 5000)}`,
      outcome: failed ? 'failure' : 'success',
      errorClass,
      errorCode: errorClass === 'throttled' ? 'ThrottlingException' : errorClass === 'kms_unavailable' ? 'KMSInternalException' : null,
      latencyMs: latency,
      cacheHit: operation === 'unwrap' ? (r.chance(0.03) ? null : r.chance(0.9)) : null,
      bytes: r.int(100, 100_000),
      traceId: `trace-${r.int(0, 1e9)}`,
      principal: `arn:aws:sts::111122223333:assumed-role/${SERVICES[0]}/app`,
      region: 'us-east-1',
      accountId: '111122223333',
    });
  }
  for (const op of out.slice(0, 50)) KeyOperationSchema.parse(op);
  return out;
}

/** CloudTrail KMS calls, a share of them throttled, keyed to the fixture KEKs. */
export function generateAuditEvents(seed: number, count: number, range: Window, throttledShare: number, gaps: Window[] = []): AuditEvent[] {
  const r = new SeededRandom(seed);
  const out: AuditEvent[] = [];
  while (out.length < count) {
    const t = range.fromMs + Math.floor(r.next() * (range.toMs - range.fromMs));
    if (gaps.some((g) => t >= g.fromMs && t < g.toMs)) continue;
    const keyArn = r.pick(KEKS);
    const throttled = r.chance(throttledShare);
    const denied = !throttled && r.chance(0.01);
    const errorCode = throttled ? 'ThrottlingException' : denied ? 'AccessDeniedException' : null;
    out.push({
      id: seededUuid(r),
      time: new Date(t).toISOString(),
      eventName: r.pick(['Decrypt', 'GenerateDataKey', 'Encrypt']),
      eventType: 'AwsApiCall',
      readOnly: true,
      management: false,
      keyArn,
      keyId: keyArn.split('/')[1]!,
      keyMaterialId: null,
      previousKeyMaterialId: null,
      reEncryptSource: null,
      principal: {
        type: 'AssumedRole', name: 'arn:aws:iam::111122223333:role/app', arn: 'arn:aws:sts::111122223333:assumed-role/app/session', accountId: '111122223333',
        principalId: 'AROA:session', accessKeyId: 'ASIAEXAMPLE', roleArn: 'arn:aws:iam::111122223333:role/app', invokedBy: null,
      },
      sourceIp: '10.0.0.1',
      userAgent: 'aws-sdk-js',
      region: 'us-east-1',
      accountId: '111122223333',
      crossAccount: false,
      outcome: errorCode === null ? 'success' : 'failure',
      errorCode,
      errorMessage: null,
      encryptionContext: null,
      requestId: seededUuid(r),
      raw: { eventID: 'x' },
    });
  }
  for (const e of out.slice(0, 20)) AuditEventSchema.parse(e);
  return out;
}
