import type { Event } from '@aws-sdk/client-cloudtrail';
import type { AuditEvent } from '../../../lib/model/audit-event';
import type { DeadLetter } from '../../../lib/model/dead-letter';
import { normalizeEventId } from '../../../lib/model/cloudtrail/record-view';
import { normalizeCloudTrailRecord } from '../../../lib/model/normalize-cloudtrail';
import { timeProblem, type TimeBounds } from '../../../lib/model/time-window';
import { makeDeadLetter } from '../../pipeline/dead-letter';
import { CLOUDTRAIL_API_SOURCE } from './target';

export type ParsedPage = {
  auditEvents: AuditEvent[];
  deadLetters: DeadLetter[];
  /** Records of another event source (the lookup filters on kms.amazonaws.com, so normally none): counted, not stored. */
  notKms: number;
};

/**
 * A LookupEvents page → AuditEvents through the same normalizer as the log-file source
 * (each result's `CloudTrailEvent` is the record as a trail would deliver it). An event
 * whose record is missing, not JSON or not a valid KMS record becomes a dead letter with
 * the reason; the rest of the page is stored.
 */
export function parseLookupEvents(events: readonly Event[], targetKey: string, receivedAt: Date, bounds?: TimeBounds): ParsedPage {
  const out: ParsedPage = { auditEvents: [], deadLetters: [], notKms: 0 };
  for (const [index, e] of events.entries()) {
    const text = e.CloudTrailEvent;
    const dead = (reason: string, payload: string) =>
      out.deadLetters.push(
        makeDeadLetter({
          source: CLOUDTRAIL_API_SOURCE,
          location: `${targetKey} EventId=${e.EventId ?? `(none, index ${index})`}`,
          reason,
          payload,
          // The event id names the input; the payload tells two malformed copies of it apart.
          identity: `${targetKey}\0${e.EventId ?? ''}\0${payload}`,
          receivedAt,
        }),
      );
    if (typeof text !== 'string' || text.length === 0) {
      dead('CloudTrailEvent: required field is missing', JSON.stringify({ ...e, EventTime: e.EventTime?.toISOString() }));
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (err) {
      dead(`CloudTrailEvent: invalid JSON: ${(err as Error).message}`, text);
      continue;
    }
    const result = normalizeCloudTrailRecord(record);
    if (result.ok) {
      // A live source: history beyond the retention comes from trail files (lib/model/time-window.ts).
      const late = timeProblem('eventTime', result.event.time, receivedAt.getTime(), 'live', bounds);
      if (late !== null) {
        dead(late, text);
        continue;
      }
      if (e.EventId !== undefined && normalizeEventId(e.EventId) !== result.event.id) {
        dead(`EventId ${e.EventId} differs from the record's eventID ${result.event.id}`, text);
        continue;
      }
      out.auditEvents.push(result.event);
    } else if (result.skip === 'not_kms') {
      out.notKms++;
    } else {
      dead(result.reason, text);
    }
  }
  return out;
}
