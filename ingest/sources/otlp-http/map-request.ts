import type { DeadLetter } from '../../../lib/model/dead-letter';
import type { KeyOperation } from '../../../lib/model/key-operation';
import { OTLP_PATHS, type OtlpSignal } from '../../../lib/model/otel-attributes';
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
  /** What makes the record the same record when it is sent again, for its dead letter's id. */
  identity: (record: R, payload: Record<string, unknown>) => string;
  payload: (record: R) => Record<string, unknown>;
};

const bigints = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

const SIGNALS: { traces: Signal<OtlpSpan>; logs: Signal<OtlpLogRecord> } = {
  traces: {
    map: mapSpan,
    // Trace and span id name a span; a span without them is named by its content.
    identity: (s, payload) => (s.traceId && s.spanId ? `span\0${s.traceId}\0${s.spanId}` : `span\0${JSON.stringify(payload, bigints)}`),
    payload: (s) => ({ ...s, startTimeUnixNano: s.startNs, endTimeUnixNano: s.endNs, startNs: undefined, endNs: undefined }),
  },
  logs: {
    map: mapLogRecord,
    identity: (_l, payload) => `log\0${JSON.stringify(payload, bigints)}`,
    payload: (l) => ({ ...l, timeUnixNano: l.timeNs, observedTimeUnixNano: l.observedTimeNs, timeNs: undefined, observedTimeNs: undefined }),
  },
};

/**
 * Maps every span or log record of an export request: key operations become records,
 * invalid ones dead letters (source otlp-http, with the record and its resource as the
 * payload), everything else is counted and dropped.
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
        const payload = { resource: batch.resource, record: s.payload(record) };
        deadLetters.push(
          makeDeadLetter({
            source: OTLP_SOURCE,
            location: `POST ${OTLP_PATHS[signal]} request ${ctx.requestId} ${index}`,
            reason: result.reason,
            payload: JSON.stringify(payload, bigints),
            identity: s.identity(record, payload),
            receivedAt: ctx.receivedAt,
          }),
        );
      }
    }
  }
  return { unit: { keyOperations, deadLetters }, records, accepted: keyOperations.length, rejected: deadLetters.length, dropped, messages };
}
