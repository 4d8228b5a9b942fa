import { isObject } from './record-view';

/**
 * The files CloudTrail records come in, told apart by content (names lie: a Lake export is
 * often `.json`). Each gives its entries in order; an entry that is not JSON is kept as a
 * problem so that it dead-letters alone and the rest of the file is read.
 */
export type ContainerKind =
  /** A trail's delivered log file: `{"Records": [...]}`. */
  | 'trail-file'
  /** `aws cloudtrail lookup-events` output: `{"Events": [{"CloudTrailEvent": "<json>"}, ...]}`. */
  | 'lookup-events'
  /** One record per line: CloudTrail Lake and Athena exports, EventBridge archives. */
  | 'json-lines'
  /** A JSON array of records. */
  | 'json-array'
  /** One record alone. */
  | 'record'
  /** A trail's digest file (integrity validation): no API calls; skipped and counted. */
  | 'digest'
  /** The writability probe AWS writes to a bucket: skipped and counted. */
  | 'writability-check'
  | 'empty';

export const SKIPPED_CONTAINERS: ReadonlySet<ContainerKind> = new Set(['digest', 'writability-check', 'empty']);

/** `at`: the entry's index, or its line number for JSON lines; `locate(at)` words it for a dead letter (only then: files hold millions). */
export type ContainerEntry = { ok: true; value: unknown; at: number } | { ok: false; reason: string; text: string; at: number };
export type ContainerRead = { ok: true; kind: ContainerKind; entries: ContainerEntry[]; locate: (at: number) => string } | { ok: false; reason: string };

const LOCATE: Record<ContainerKind, (at: number) => string> = {
  'trail-file': (i) => `Records[${i}]`,
  'lookup-events': (i) => `Events[${i}]`,
  'json-lines': (n) => `line ${n}`,
  'json-array': (i) => `[${i}]`,
  record: () => 'record',
  digest: () => 'digest',
  'writability-check': () => 'file',
  empty: () => 'file',
};
const container = (kind: ContainerKind, entries: ContainerEntry[]): ContainerRead => ({ ok: true, kind, entries, locate: LOCATE[kind] });

const WRITABILITY_NAME = /^ConfigWritabilityCheckFile$/;

function parse(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  }
}

/** A LookupEvents result: its CloudTrailEvent string is the record. */
function lookupEntry(e: unknown, at: number): ContainerEntry {
  if (!isObject(e) || typeof e.CloudTrailEvent !== 'string') return { ok: false, reason: 'CloudTrailEvent: required field is missing', text: JSON.stringify(e) ?? String(e), at };
  const p = parse(e.CloudTrailEvent);
  return p.ok ? { ok: true, value: p.value, at } : { ok: false, reason: `CloudTrailEvent: ${p.reason}`, text: e.CloudTrailEvent, at };
}

/** A line of a JSON-lines export: a record, or one wrapped the way Lake or LookupEvents wrap it. */
function lineEntry(value: unknown, at: number): ContainerEntry {
  if (isObject(value) && typeof value.CloudTrailEvent === 'string') return lookupEntry(value, at);
  if (isObject(value) && typeof value.eventJson === 'string') {
    const p = parse(value.eventJson);
    return p.ok ? { ok: true, value: p.value, at } : { ok: false, reason: `eventJson: ${p.reason}`, text: value.eventJson, at };
  }
  return { ok: true, value, at };
}

function isDigest(v: Record<string, unknown>): boolean {
  return 'digestStartTime' in v && 'digestEndTime' in v && ('logFiles' in v || 'previousDigestSignature' in v);
}

function fromDocument(value: unknown): ContainerRead | null {
  if (Array.isArray(value)) return container('json-array', value.map((v, i) => lineEntry(v, i)));
  if (!isObject(value)) return null;
  if (Array.isArray(value.Records)) return container('trail-file', value.Records.map((v, i) => ({ ok: true, value: v, at: i })));
  if (Array.isArray(value.Events)) return container('lookup-events', value.Events.map((e, i) => lookupEntry(e, i)));
  if (isDigest(value)) return container('digest', []);
  if ('Records' in value) return { ok: false, reason: `Records: expected array, got ${value.Records === null ? 'null' : typeof value.Records}` };
  if ('eventID' in value || 'eventSource' in value || 'eventName' in value) return container('record', [lineEntry(value, 0)]);
  return null;
}

/** What a file holds, from its text (after gunzip) and its base name. */
export function readCloudTrailContainer(text: string, name: string): ContainerRead {
  const trimmed = text.trim();
  if (WRITABILITY_NAME.test(name) || trimmed === 'Config Writability Check') return container('writability-check', []);
  if (trimmed.length === 0) return container('empty', []);
  const whole = parse(trimmed);
  if (whole.ok) {
    return fromDocument(whole.value) ?? { ok: false, reason: 'not CloudTrail: expected {"Records": [...]}, {"Events": [...]} (lookup-events), records one per line, or a digest file' };
  }
  // Not one document: JSON lines, if the first line is a JSON object.
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim().length > 0);
  const head = parse(lines[first]!.trim());
  if (!head.ok || !isObject(head.value)) return { ok: false, reason: whole.reason };
  const entries: ContainerEntry[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length === 0) continue;
    const at = i + 1;
    const p = parse(line);
    entries.push(p.ok ? lineEntry(p.value, at) : { ok: false, reason: p.reason, text: line, at });
  }
  return container('json-lines', entries);
}
