import { typeName } from './problems';

type Json = Record<string, unknown>;

/**
 * What the normalizer reads of a CloudTrail record, read liberally (AWS adds fields and
 * identity shapes every year): the four fields that identify a record are required; every
 * other field is present only when it has the type CloudTrail documents for it, and is
 * otherwise left empty (the raw record keeps what was there).
 */
export interface CloudTrailRecordView {
  eventID: string;
  /** The record's eventTime, as written when it is ISO 8601 UTC, else re-rendered from its parse. */
  eventTime: string;
  eventSource: string;
  eventName: string;
  eventType?: string;
  eventVersion?: string;
  userIdentity?: Json;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Json;
  responseElements?: Json;
  additionalEventData?: Json;
  serviceEventDetails?: Json;
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
  requestID?: string;
  readOnly?: boolean;
  recipientAccountId?: string;
}

export type ViewResult = { ok: true; view: CloudTrailRecordView } | { ok: false; reason: string };

export const MAX_EVENT_ID = 128;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const obj = (v: unknown): Json | undefined => (isObject(v) ? v : undefined);

/** CloudTrail's eventIDs are UUIDs, which stores compare lowercased; any other form is kept as written. */
export function normalizeEventId(id: string): string {
  return UUID.test(id) ? id.toLowerCase() : id;
}

/** An ISO 8601 time as CloudTrail writes it, or another form Date.parse reads; null when neither. */
export function readEventTime(v: string): string | null {
  if (ISO_UTC.test(v)) return Number.isFinite(Date.parse(v)) ? v : null;
  const ms = Date.parse(v);
  // Bare dates and zone-less times are read by Date.parse in the machine's zone: not a time we can place.
  if (!Number.isFinite(ms) || !/T\d{2}:\d{2}.*(?:Z|[+-]\d{2}:?\d{2})$/.test(v)) return null;
  const iso = new Date(ms).toISOString();
  // Years before 0 or after 9999 render as ±YYYYYY: no time a record of an API call can have.
  return ISO_UTC.test(iso) ? iso : null;
}

function required(input: Json, field: string): string | { reason: string } {
  const v = input[field];
  if (v === undefined || v === null) return { reason: `${field}: required field is missing` };
  if (typeof v !== 'string') return { reason: `${field}: expected string, got ${typeName(v)}` };
  if (v.trim().length === 0) return { reason: `${field}: must not be empty` };
  return v;
}

function resources(v: unknown): CloudTrailRecordView['resources'] {
  if (!Array.isArray(v)) return undefined;
  const out: NonNullable<CloudTrailRecordView['resources']> = [];
  for (const r of v) {
    if (!isObject(r)) continue;
    out.push({ ARN: str(r.ARN), accountId: str(r.accountId), type: str(r.type) });
  }
  return out;
}

/** The view of a record, or the reason it cannot be identified (the only reason to dead-letter it). */
export function viewRecord(input: Json): ViewResult {
  const problems: string[] = [];
  const ids: Record<'eventID' | 'eventTime' | 'eventSource' | 'eventName', string> = { eventID: '', eventTime: '', eventSource: '', eventName: '' };
  for (const field of ['eventID', 'eventTime', 'eventSource', 'eventName'] as const) {
    const v = required(input, field);
    if (typeof v === 'string') ids[field] = v;
    else problems.push(v.reason);
  }
  if (problems.length === 0 && ids.eventID.length > MAX_EVENT_ID) problems.push(`eventID: longer than ${MAX_EVENT_ID} characters (${ids.eventID.length})`);
  const time = ids.eventTime === '' ? null : readEventTime(ids.eventTime);
  if (ids.eventTime !== '' && time === null) problems.push(`eventTime: not a time (got ${JSON.stringify(ids.eventTime.slice(0, 40))})`);
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  return {
    ok: true,
    view: {
      eventID: normalizeEventId(ids.eventID),
      eventTime: time!,
      eventSource: ids.eventSource,
      eventName: ids.eventName,
      eventType: str(input.eventType),
      eventVersion: str(input.eventVersion),
      userIdentity: obj(input.userIdentity),
      awsRegion: str(input.awsRegion),
      sourceIPAddress: str(input.sourceIPAddress),
      userAgent: str(input.userAgent),
      errorCode: str(input.errorCode),
      errorMessage: typeof input.errorMessage === 'string' ? input.errorMessage : undefined,
      requestParameters: obj(input.requestParameters),
      responseElements: obj(input.responseElements),
      additionalEventData: obj(input.additionalEventData),
      serviceEventDetails: obj(input.serviceEventDetails),
      resources: resources(input.resources),
      requestID: str(input.requestID),
      readOnly: typeof input.readOnly === 'boolean' ? input.readOnly : undefined,
      recipientAccountId: str(input.recipientAccountId),
    },
  };
}
