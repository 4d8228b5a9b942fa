import type { AuditEvent } from './audit-event';
import { readEncryptionContext } from './cloudtrail/encryption-context';
import { kmsEventInfo } from './cloudtrail/event-names';
import { resolveKey, resolveReEncryptKeys, type KeyContext, type KeyRef } from './cloudtrail/key-ref';
import { keyMaterialIds, reEncryptMaterialIds } from './cloudtrail/key-material';
import { isCrossAccount, normalizePrincipal } from './cloudtrail/principal';
import { bounded, truncated, typeName } from './cloudtrail/problems';
import { isObject, viewRecord, type CloudTrailRecordView } from './cloudtrail/record-view';

export { normalizeErrorCode } from './cloudtrail/error-codes';
export { KMS_EVENT_NAMES, kmsEventInfo, type KmsEventInfo, type KmsEventName } from './cloudtrail/event-names';

/**
 * CloudTrail record → AuditEvent. Pure and synchronous, with no copies (raw is the input
 * object itself), since imports run to millions of records. Liberal (docs/cloudtrail.md):
 * only a record that cannot be identified is refused; any other field that is missing or
 * of another type than AWS documents is left empty.
 */

export const KMS_EVENT_SOURCE = 'kms.amazonaws.com';

export type NormalizeResult =
  | { ok: true; event: AuditEvent }
  /** skip 'not_kms': a record of another service (or an Insights event), which the importer counts and never dead-letters. */
  | { ok: false; reason: string; skip?: 'not_kms' };

export interface IndexedResult {
  /** Position in the log file's Records array. */
  index: number;
  result: NormalizeResult;
}

export type LogFileResult = { ok: true; results: IndexedResult[] } | { ok: false; reason: string };

export function normalizeCloudTrailRecord(input: unknown): NormalizeResult {
  if (!isObject(input)) return { ok: false, reason: `record: expected object, got ${typeName(input)}` };
  // Insights events summarize unusual API activity; they are not calls (no eventSource of their own).
  if (input.eventType === 'AwsCloudTrailInsight' || input.eventCategory === 'Insight') {
    return { ok: false, skip: 'not_kms', reason: 'a CloudTrail Insights event, not an API call' };
  }
  const source = input.eventSource;
  // Another service's record is not ours to read: only its source is. A missing or
  // mistyped eventSource falls through to the view, which reports it.
  if (typeof source === 'string' && source.length > 0 && source !== KMS_EVENT_SOURCE) {
    return { ok: false, skip: 'not_kms', reason: `eventSource is ${source}, not ${KMS_EVENT_SOURCE}` };
  }
  const viewed = viewRecord(input);
  if (!viewed.ok) return viewed;
  return { ok: true, event: toAuditEvent(viewed.view, input) };
}

const MAX_USER_AGENT = 4096;
const MAX_ERROR_MESSAGE = 4096;

function toAuditEvent(r: CloudTrailRecordView, raw: Record<string, unknown>): AuditEvent {
  const principal = normalizePrincipal(r.userIdentity, r);
  const region = bounded(r.awsRegion, 64);
  const accountId = bounded(r.recipientAccountId, 32);
  const ctx: KeyContext = { region, recipientAccountId: accountId, callerAccountId: principal.accountId };
  const sides = r.eventName === 'ReEncrypt' ? reEncryptSides(r, ctx) : plainSides(r, ctx);
  const { key, source } = sides;
  return {
    id: r.eventID,
    time: r.eventTime,
    eventName: truncated(r.eventName, 128),
    eventType: bounded(r.eventType, 64),
    readOnly: r.readOnly ?? null,
    management: kmsEventInfo(r.eventName).management,
    keyArn: key.keyArn,
    keyId: key.keyId,
    keyMaterialId: sides.keyMaterialId,
    previousKeyMaterialId: sides.previousKeyMaterialId,
    reEncryptSource: source,
    principal,
    sourceIp: bounded(r.sourceIPAddress, 256),
    userAgent: r.userAgent === undefined ? null : truncated(r.userAgent, MAX_USER_AGENT),
    region,
    accountId,
    crossAccount: isCrossAccount(principal.accountId, sides.keyAccounts, accountId),
    outcome: r.errorCode === undefined ? 'success' : 'failure',
    errorCode: bounded(r.errorCode, 256),
    errorMessage: r.errorMessage === undefined ? null : truncated(r.errorMessage, MAX_ERROR_MESSAGE),
    encryptionContext: sides.encryptionContext,
    requestId: bounded(r.requestID, 256),
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

function plainSides(r: CloudTrailRecordView, ctx: KeyContext): Sides {
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
function reEncryptSides(r: CloudTrailRecordView, ctx: KeyContext): Sides {
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
  if (!isObject(json)) return { ok: false, reason: `log file: expected object with a Records array, got ${typeName(json)}` };
  const records = json.Records;
  if (records === undefined) return { ok: false, reason: 'Records: required field is missing' };
  if (!Array.isArray(records)) return { ok: false, reason: `Records: expected array, got ${typeName(records)}` };
  const results: IndexedResult[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) results[i] = { index: i, result: normalizeCloudTrailRecord(records[i]) };
  return { ok: true, results };
}
