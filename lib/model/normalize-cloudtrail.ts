import type { AuditEvent } from './audit-event';
import { CloudTrailRecordSchema, type CloudTrailRecord } from './cloudtrail-record';
import { readEncryptionContext } from './cloudtrail/encryption-context';
import { kmsEventInfo } from './cloudtrail/event-names';
import { resolveKey, resolveReEncryptKeys, type KeyContext, type KeyRef } from './cloudtrail/key-ref';
import { keyMaterialIds, reEncryptMaterialIds } from './cloudtrail/key-material';
import { isCrossAccount, normalizePrincipal } from './cloudtrail/principal';
import { bounded, describeZodError, RecordProblem, truncated, typeName } from './cloudtrail/problems';

export { normalizeErrorCode } from './cloudtrail/error-codes';
export { KMS_EVENT_NAMES, kmsEventInfo, type KmsEventInfo, type KmsEventName } from './cloudtrail/event-names';

/**
 * CloudTrail record → AuditEvent. Pure and synchronous; one zod parse per record and no
 * copies beyond it (raw is the input object itself), since imports run to millions of
 * records.
 */

export const KMS_EVENT_SOURCE = 'kms.amazonaws.com';

export type NormalizeResult =
  | { ok: true; event: AuditEvent }
  /** skip 'not_kms': a record of another service, which the importer counts and never dead-letters. */
  | { ok: false; reason: string; skip?: 'not_kms' };

export interface IndexedResult {
  /** Position in the log file's Records array. */
  index: number;
  result: NormalizeResult;
}

export type LogFileResult = { ok: true; results: IndexedResult[] } | { ok: false; reason: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function normalizeCloudTrailRecord(input: unknown): NormalizeResult {
  if (!isPlainObject(input)) return { ok: false, reason: `record: expected object, got ${typeName(input)}` };
  const source = input.eventSource;
  // Another service's record is not ours to validate: only its source is read. A missing
  // or mistyped eventSource falls through to the parse, which reports it.
  if (typeof source === 'string' && source.length > 0 && source !== KMS_EVENT_SOURCE) {
    return { ok: false, skip: 'not_kms', reason: `eventSource is ${source}, not ${KMS_EVENT_SOURCE}` };
  }
  const parsed = CloudTrailRecordSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: describeZodError(parsed.error, input) };
  try {
    return { ok: true, event: toAuditEvent(parsed.data, input) };
  } catch (err) {
    if (err instanceof RecordProblem) return { ok: false, reason: err.message };
    throw err;
  }
}

const MAX_USER_AGENT = 4096;
const MAX_ERROR_MESSAGE = 4096;

function toAuditEvent(r: CloudTrailRecord, raw: Record<string, unknown>): AuditEvent {
  const principal = normalizePrincipal(r.userIdentity);
  const ctx: KeyContext = { region: r.awsRegion, recipientAccountId: r.recipientAccountId, callerAccountId: principal.accountId };
  const sides = r.eventName === 'ReEncrypt' ? reEncryptSides(r, ctx) : plainSides(r, ctx);
  const { key, source } = sides;
  return {
    id: r.eventID,
    time: r.eventTime,
    eventName: bounded('eventName', r.eventName, 128),
    eventType: r.eventType,
    readOnly: r.readOnly ?? null,
    management: kmsEventInfo(r.eventName).management,
    keyArn: key.keyArn,
    keyId: key.keyId,
    keyMaterialId: sides.keyMaterialId,
    previousKeyMaterialId: sides.previousKeyMaterialId,
    reEncryptSource: source,
    principal,
    sourceIp: bounded('sourceIPAddress', r.sourceIPAddress, 256),
    userAgent: r.userAgent === undefined ? null : truncated(r.userAgent, MAX_USER_AGENT),
    region: bounded('awsRegion', r.awsRegion, 64),
    accountId: bounded('recipientAccountId', r.recipientAccountId, 32),
    crossAccount: isCrossAccount(principal.accountId, sides.keyAccounts, r.recipientAccountId),
    outcome: r.errorCode === undefined ? 'success' : 'failure',
    errorCode: r.errorCode === undefined ? null : bounded('errorCode', r.errorCode, 256),
    errorMessage: r.errorMessage === undefined ? null : truncated(r.errorMessage, MAX_ERROR_MESSAGE),
    encryptionContext: sides.encryptionContext,
    requestId: r.requestID === undefined ? null : bounded('requestID', r.requestID, 256),
    raw,
  };
}

interface Sides {
  key: KeyRef;
  /** Owners of the keys the call touched, for crossAccount. */
  keyAccounts: Array<string | null>;
  keyMaterialId: string | null;
  previousKeyMaterialId: string | null;
  encryptionContext: AuditEvent['encryptionContext'];
  source: AuditEvent['reEncryptSource'];
}

function plainSides(r: CloudTrailRecord, ctx: KeyContext): Sides {
  const ids = keyMaterialIds(r);
  const key = resolveKey(r, ctx);
  return {
    key,
    keyAccounts: [key.accountId],
    keyMaterialId: ids.keyMaterialId,
    previousKeyMaterialId: ids.previousKeyMaterialId,
    encryptionContext: readEncryptionContext(r.requestParameters, 'encryptionContext'),
    source: null,
  };
}

/** The destination is the event's key (where the data now lives); the source side is kept beside it. */
function reEncryptSides(r: CloudTrailRecord, ctx: KeyContext): Sides {
  const keys = resolveReEncryptKeys(r, ctx);
  const ids = reEncryptMaterialIds(r);
  const { source, destination } = keys;
  return {
    key: destination,
    keyAccounts: [destination.accountId, source.accountId],
    keyMaterialId: ids.destination,
    previousKeyMaterialId: null,
    encryptionContext: readEncryptionContext(r.requestParameters, 'destinationEncryptionContext'),
    source: {
      keyArn: source.keyArn,
      keyId: source.keyId,
      keyMaterialId: ids.source,
      encryptionContext: readEncryptionContext(r.requestParameters, 'sourceEncryptionContext'),
    },
  };
}

/**
 * A delivered log file (`{"Records": [...]}`): one result per record, with its index, so
 * that one bad record dead-letters alone and the rest of the file is stored.
 */
export function normalizeCloudTrailLogFile(json: unknown): LogFileResult {
  if (!isPlainObject(json)) return { ok: false, reason: `log file: expected object with a Records array, got ${typeName(json)}` };
  const records = json.Records;
  if (records === undefined) return { ok: false, reason: 'Records: required field is missing' };
  if (!Array.isArray(records)) return { ok: false, reason: `Records: expected array, got ${typeName(records)}` };
  const results: IndexedResult[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) results[i] = { index: i, result: normalizeCloudTrailRecord(records[i]) };
  return { ok: true, results };
}
