import { isIP } from 'node:net';
import type { Alert } from '../../model/alert';
import type { AuditEvent } from '../../model/audit-event';
import type { DeadLetter } from '../../model/dead-letter';
import type { DekRecord } from '../../model/dek-record';
import { operationKeyArn, type KeyOperation } from '../../model/key-operation';
import type { KeyState } from '../../model/key-state';
import { normalizeErrorCode } from '../../model/cloudtrail/error-codes';
import type { CheckpointValue } from '../types';

/*
 * Records as Elasticsearch documents: Elastic Common Schema names where ECS has the field
 * (and Elastic's AWS CloudTrail integration's `aws.cloudtrail.*` names), keyscope's own
 * under `keyscope.*`, so Kibana and Elastic Security read the same indices. Each mapping
 * in ./templates.ts matches these shapes field for field (the templates are strict).
 */

type Doc = Record<string, unknown>;

/**
 * Drops null/undefined members so that absent values stay absent (ECS has no nulls). On the
 * ingest hot path (once per record): a for-in over the small literal objects built here,
 * without the entry arrays Object.entries allocates.
 */
function compact<T extends Doc>(o: T): Doc {
  const out: Doc = {};
  for (const k in o) {
    const v: unknown = o[k];
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype ? compact(v as Doc) : v;
  }
  return out;
}

export function keyOperationDoc(op: KeyOperation, source: string): Doc {
  return compact({
    '@timestamp': op.time,
    event: {
      id: op.id,
      kind: 'event',
      action: op.operation,
      outcome: op.outcome,
      // ECS durations are nanoseconds; the exact latency stays in keyscope.latency_ms.
      duration: Math.round(op.latencyMs * 1e6),
    },
    service: { name: op.service },
    user: { name: op.principal },
    cloud: { region: op.region, account: { id: op.accountId } },
    trace: { id: op.traceId },
    error: op.errorClass === null && op.errorCode === null ? null : { type: op.errorClass, code: op.errorCode },
    keyscope: {
      ingest_source: source,
      tenant: op.tenant,
      kek: { id: op.kekId, version: op.kekVersion, arn: operationKeyArn(op) },
      dek: { id: op.dekId },
      object: { id: op.objectId },
      kms: { request_id: op.kmsRequestId ?? null },
      latency_ms: op.latencyMs,
      cache_hit: op.cacheHit,
      bytes: op.bytes,
    },
  });
}

export function auditEventDoc(e: AuditEvent, source: string): Doc {
  const p = e.principal;
  const doc = compact({
    '@timestamp': e.time,
    event: { id: e.id, kind: 'event', provider: 'kms.amazonaws.com', action: e.eventName, outcome: e.outcome },
    // sourceIPAddress is a service name ("kms.amazonaws.com", "AWS Internal") for calls AWS makes itself.
    source: { address: e.sourceIp, ip: e.sourceIp !== null && isIP(e.sourceIp) !== 0 ? e.sourceIp : null },
    user_agent: { original: e.userAgent },
    user: { name: p.arn ?? p.principalId, id: p.principalId },
    cloud: { provider: 'aws', region: e.region, account: { id: e.accountId } },
    // Canonical, so AccessDenied and AccessDeniedException group as one; aws.cloudtrail keeps the code as written.
    error: { code: e.errorCode === null ? null : normalizeErrorCode(e.errorCode) },
    aws: {
      cloudtrail: {
        event_type: e.eventType,
        management_event: e.management,
        read_only: e.readOnly,
        error_code: e.errorCode,
        error_message: e.errorMessage,
        request_id: e.requestId,
        recipient_account_id: e.accountId,
        user_identity: {
          type: p.type,
          arn: p.arn,
          access_key_id: p.accessKeyId,
          invoked_by: p.invokedBy,
          session_context: p.roleArn === null ? null : { session_issuer: { arn: p.roleArn } },
        },
        resources: { arn: e.keyArn },
      },
    },
    keyscope: {
      ingest_source: source,
      kek: { arn: e.keyArn, id: e.keyId, version: e.keyMaterialId, previous_version: e.previousKeyMaterialId },
      // Who called, stable across sessions, by the rule of docs/cloudtrail.md.
      principal: { account_id: p.accountId, caller: p.name },
      cross_account: e.crossAccount,
      encryption_context: e.encryptionContext,
      encryption_context_keys: e.encryptionContext === null ? null : Object.keys(e.encryptionContext),
      encryption_context_pairs: e.encryptionContext === null ? null : Object.entries(e.encryptionContext).map(([k, v]) => `${k}\u0000${v}`),
    },
  });
  // The whole record, not indexed: evidence views and re-normalization read it back. Kept
  // as the model has it (nulls included) rather than compacted: it is stored, not mapped,
  // and copying it (with the original CloudTrail record inside) cost more than the rest
  // of the document.
  (doc.keyscope as Doc).record = e;
  return doc;
}

export function dekRecordDoc(r: DekRecord): Doc {
  return {
    '@timestamp': r.updatedAt,
    keyscope: {
      object: { id: r.objectId, path: r.objectPath },
      dek: { id: r.dekId },
      kek: compact({ id: r.kekId, version: r.kekVersion }),
      tenant: r.tenant,
      service_name: r.service,
      encryption_context: r.encryptionContext,
      bytes: r.bytes,
      encrypted_at: r.encryptedAt,
      rotation_status: r.rotationStatus,
    },
  };
}

export function keyStateDoc(k: KeyState): Doc {
  return {
    '@timestamp': k.updatedAt,
    keyscope: { kek: compact({ arn: k.keyArn, id: k.keyId, account_id: k.accountId, region: k.region }), state: k.state, record: k },
  };
}

export function alertDoc(a: Alert): Doc {
  return {
    '@timestamp': a.lastSeen,
    keyscope: { alert: { id: a.id, rule_id: a.ruleId, severity: a.severity, status: a.status, subject: a.subject, first_seen: a.firstSeen }, record: a },
  };
}

export function deadLetterDoc(d: DeadLetter): Doc {
  return {
    '@timestamp': d.receivedAt,
    keyscope: { dead_letter: { id: d.id, source: d.source, location: d.location, reason: d.reason, payload: d.payload } },
  };
}

export function checkpointDoc(source: string, key: string, value: CheckpointValue, updatedAtMs: number): Doc {
  return { source, key, value_json: JSON.stringify(value), updated_at: updatedAtMs };
}

export type IngestSourceDoc = { source: string; kind: string; newest_event_ms: number; last_write_ms: number; records: number };
