import type { AuditEvent } from '../../model/audit-event';
import { normalizeErrorCode } from '../../model/cloudtrail/error-codes';
import type { DekRecord } from '../../model/dek-record';
import { operationKeyArn, type KeyOperation } from '../../model/key-operation';
import { parseIp } from '../../query-language/ip';
import { StoreError } from '../types';
import type { Dictionary } from './dictionary';

/** A UUID as its 16 bytes: half the size of the text in the table and its unique index. */
export function uuidToBlob(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new StoreError(`key operation id is not a UUID: ${id.slice(0, 64)}`);
  return Buffer.from(hex, 'hex');
}

export function blobToUuid(blob: Buffer): string {
  const h = blob.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

export function keyOperationRow(op: KeyOperation, dict: Dictionary) {
  return {
    id: uuidToBlob(op.id),
    time_ms: Date.parse(op.time),
    service_id: dict.id(op.service),
    tenant_id: dict.id(op.tenant),
    operation: op.operation,
    kek_ref: dict.id(op.kekId),
    kek_version_ref: dict.optionalId(op.kekVersion),
    dek_id: op.dekId,
    object_id: op.objectId,
    success: op.outcome === 'success' ? 1 : 0,
    error_class: op.errorClass,
    error_code_ref: dict.optionalId(op.errorCode),
    latency_ms: op.latencyMs,
    cache_hit: bool(op.cacheHit),
    bytes: op.bytes,
    trace_id: op.traceId,
    principal: op.principal,
    region_ref: dict.optionalId(op.region),
    account_ref: dict.optionalId(op.accountId),
    key_arn_ref: dict.optionalId(operationKeyArn(op)),
    kms_request_id: op.kmsRequestId ?? null,
  };
}
export type KeyOperationRow = ReturnType<typeof keyOperationRow>;

/** Who called, stable across sessions, by the rule of docs/cloudtrail.md. */
export function auditPrincipal(p: AuditEvent['principal']): string | null {
  return p.name;
}

export function auditEventRow(e: AuditEvent) {
  return {
    id: e.id,
    time_ms: Date.parse(e.time),
    event_name: e.eventName,
    key_arn: e.keyArn,
    key_id: e.keyId,
    principal_arn: e.principal.arn,
    principal: auditPrincipal(e.principal),
    source_ip: e.sourceIp,
    // Canonical, so AccessDenied and AccessDeniedException group as one; doc keeps the code as written.
    error_code: e.errorCode === null ? null : normalizeErrorCode(e.errorCode),
    success: e.outcome === 'success' ? 1 : 0,
    // Audit search (migration 8): the catalog's fields, as lib/query-language/fields.ts reads them.
    event_type: e.eventType,
    read_only: bool(e.readOnly),
    management: bool(e.management),
    cross_account: bool(e.crossAccount),
    source_ip_bin: sourceIpBlob(e.sourceIp),
    request_id: e.requestId,
    error_code_written: e.errorCode,
    error_message: e.errorMessage,
    // The whole record, for audit search and evidence; the columns above are for filtering.
    doc: JSON.stringify(e),
  };
}
export type AuditEventRow = ReturnType<typeof auditEventRow>;

/** The audit-search columns held as dictionary ids: long strings repeated across millions of events. */
export function auditEventRefs(e: AuditEvent, dict: Dictionary) {
  return {
    region_ref: dict.optionalId(e.region),
    account_ref: dict.optionalId(e.accountId),
    user_name_ref: dict.optionalId(e.principal.arn ?? e.principal.principalId),
    principal_account_ref: dict.optionalId(e.principal.accountId),
    user_agent_ref: dict.optionalId(e.userAgent),
    key_material_ref: dict.optionalId(e.keyMaterialId),
  };
}

/** A source that is an IP address as 16 bytes (IPv4 mapped into ::ffff:0:0/96), so a CIDR block is one BLOB range. */
export function sourceIpBlob(sourceIp: string | null): Buffer | null {
  const ip = sourceIp === null ? null : parseIp(sourceIp);
  return ip === null ? null : Buffer.from(ip.bytes);
}

/** The encryption context as (key, value) pairs, for the side table audit_event_context. */
export function auditContextPairs(e: AuditEvent): Array<[string, string]> {
  return e.encryptionContext === null ? [] : Object.entries(e.encryptionContext);
}

export function dekRecordRow(r: DekRecord, dict: Dictionary) {
  return {
    object_id: r.objectId,
    object_path: r.objectPath,
    dek_id: r.dekId,
    kek_ref: dict.id(r.kekId),
    kek_version_ref: dict.optionalId(r.kekVersion),
    tenant_id: dict.id(r.tenant),
    service_id: dict.id(r.service),
    encryption_context: JSON.stringify(r.encryptionContext),
    bytes: r.bytes,
    encrypted_at_ms: Date.parse(r.encryptedAt),
    updated_at_ms: Date.parse(r.updatedAt),
    rotation_status: r.rotationStatus,
  };
}
