import { expect } from 'vitest';
import { AuditEventSchema, type AuditEvent } from '../../lib/model/audit-event';
import { normalizeCloudTrailRecord } from '../../lib/model/normalize-cloudtrail';

/** Normalizes a record that must be accepted, and checks the event against the model's schema. */
export function accept(record: unknown): AuditEvent {
  const result = normalizeCloudTrailRecord(record);
  if (!result.ok) throw new Error(`expected the record to be accepted, got: ${result.reason}`);
  AuditEventSchema.parse(result.event);
  return result.event;
}

/** The reason a record is rejected (fails the test if it is accepted or skipped). */
export function rejectReason(record: unknown): string {
  const result = normalizeCloudTrailRecord(record);
  if (result.ok) throw new Error(`expected a rejection, got event ${result.event.id}`);
  expect(result.skip).toBeUndefined();
  return result.reason;
}
