import { createHash } from 'node:crypto';
import type { DeadLetter } from '../../../lib/model/dead-letter';
import type { KeyOperation } from '../../../lib/model/key-operation';
import { OTEL_ATTR, OTLP_PATHS, type OtlpSignal } from '../../../lib/model/otel-attributes';
import type { TimeBounds } from '../../../lib/model/time-window';
import { makeDeadLetter } from '../../pipeline/dead-letter';
import type { IngestUnit } from '../../pipeline/unit';
import { mapLogRecord, mapSpan, type MapResult } from './map-key-operation';
import type { OtlpAttributes, OtlpLogRecord, OtlpRequest, OtlpSpan } from './otlp-records';

export const OTLP_SOURCE = 'otlp-http';

/** How many rejection reasons the partial-success message quotes. */
const MAX_MESSAGES = 3;

export type MapRequestContext = { requestId: string; receivedAt: Date; timeBounds?: TimeBounds };

/** What one export request gave: the unit to store, and the counts the answer and the log report. */
export type MappedRequest = {
  unit: IngestUnit;
  records: number;
  accepted: number;
  /** Claimed to be key operations and failed validation: dead-lettered, reported as rejected. */
  rejected: number;
  /** Not key operations: counted and dropped, neither stored nor dead-lettered. */
  dropped: number;
  /** The first few rejection reasons, with where each record was. */
  messages: string[];
};

type Signal<R> = {
  map: (record: R, resource: OtlpAttributes, ctx: { nowMs: number; bounds?: TimeBounds }) => MapResult;
  /** Ids and times: what finds the record at its sender, and holds no attribute value. */
  locator: (record: R) => Record<string, string>;
};

const SIGNALS: { traces: Signal<OtlpSpan>; logs: Signal<OtlpLogRecord> } = {
  traces: {
    map: mapSpan,
    locator: (s) => ({ traceId: s.traceId, spanId: s.spanId, startTimeUnixNano: String(s.startNs), endTimeUnixNano: String(s.endNs) }),
  },
  logs: {
    map: mapLogRecord,
    locator: (l) => ({ traceId: l.traceId, spanId: l.spanId, timeUnixNano: String(l.timeNs), observedTimeUnixNano: String(l.observedTimeNs) }),
  },
};

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

/**
 * What a dead letter keeps of a record that failed validation, as for NDJSON lines
 * (ingest/pipeline/line-payload.ts): an emitter that got it wrong may have put anything in
 * its attributes, so only their names are kept, with the ids and times that find it, the
 * service, and the record's size and SHA-256. One refused only for its time is kept whole.
 */
function payloadOf(locator: Record<string, string>, record: { attributes: OtlpAttributes }, resource: OtlpAttributes, text: string, valid?: KeyOperation): string {
  if (valid) return JSON.stringify(valid);
  const service = resource[OTEL_ATTR.serviceName];
  return JSON.stringify({
    kept: 'names only: attribute values are not kept of a record that failed validation',
    service: typeof service === 'string' ? service.slice(0, 128) : null,
    ...locator,
    attributes: Object.keys(record.attributes),
    resourceAttributes: Object.keys(resource),
    bytes: Buffer.byteLength(text),
    sha256: createHash('sha256').update(text).digest('hex'),
  });
}

/**
 * Maps every span or log record of an export request: key operations become records,
 * invalid ones dead letters (source otlp-http), everything else is counted and dropped.
 */
export function mapRequest<S extends OtlpSignal>(signal: S, request: OtlpRequest<S extends 'traces' ? OtlpSpan : OtlpLogRecord>, ctx: MapRequestContext): MappedRequest {
  const s = SIGNALS[signal] as Signal<OtlpSpan | OtlpLogRecord>;
  const keyOperations: KeyOperation[] = [];
  const deadLetters: DeadLetter[] = [];
  const messages: string[] = [];
  let records = 0;
  let dropped = 0;
  const mapCtx = { nowMs: ctx.receivedAt.getTime(), bounds: ctx.timeBounds };
  for (const batch of request) {
    for (const { record, index } of batch.records) {
      records += 1;
      const result = s.map(record, batch.resource, mapCtx);
      if (result.kind === 'other') dropped += 1;
      else if (result.kind === 'operation') keyOperations.push(result.operation);
      else {
        if (messages.length < MAX_MESSAGES) messages.push(`${index}: ${result.reason}`);
        // The record and its resource are the same bytes when an export is sent again: one dead letter.
        const text = canonical({ resource: batch.resource, record });
        deadLetters.push(
          makeDeadLetter({
            source: OTLP_SOURCE,
            location: `POST ${OTLP_PATHS[signal]} request ${ctx.requestId} ${index}`,
            reason: result.reason,
            payload: payloadOf(s.locator(record), record, batch.resource, text, result.valid),
            identity: `${signal}\0${text}`,
            receivedAt: ctx.receivedAt,
          }),
        );
      }
    }
  }
  return { unit: { keyOperations, deadLetters }, records, accepted: keyOperations.length, rejected: deadLetters.length, dropped, messages };
}
