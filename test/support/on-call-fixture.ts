import type { AuditEvent } from '../../lib/model/audit-event';
import type { KeyOperation } from '../../lib/model/key-operation';
import { generateAuditEvents, generateOperations } from './key-operation-generator';

/**
 * Six hours of on-call data: 4000 key operations and 1500 CloudTrail calls, no traffic
 * at all from 02:00 to 02:30 (gaps), and a throttling incident from 04:00 to 04:20.
 */
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.UTC(2026, 2, 1);
export const RANGE = { fromMs: T0, toMs: T0 + 6 * HOUR };
export const GAP = { fromMs: T0 + 2 * HOUR, toMs: T0 + 2 * HOUR + 30 * MIN };
export const INCIDENT = { fromMs: T0 + 4 * HOUR, toMs: T0 + 4 * HOUR + 20 * MIN };

export function onCallFixture(): { ops: KeyOperation[]; audit: AuditEvent[] } {
  const ops = generateOperations(42, 4000, RANGE, {
    gaps: [GAP],
    incidents: [{ ...INCIDENT, failureRate: 0.3, errorClass: 'throttled' }],
  });
  const audit = generateAuditEvents(43, 1500, RANGE, 0.05, [GAP]);
  return { ops, audit };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const ms = (isoTime: string): number => Date.parse(isoTime);

/** Bucket starts of an aligned range, computed here independently of lib/queries. */
export function expectedStarts(fromMs: number, toMs: number, bucketMs: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(fromMs / bucketMs) * bucketMs; t < Math.ceil(toMs / bucketMs) * bucketMs; t += bucketMs) out.push(t);
  return out;
}

/** Groups items by the start of their bucket. */
export function groupByBucket<T>(items: readonly T[], time: (x: T) => number, bucketMs: number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const x of items) {
    const b = Math.floor(time(x) / bucketMs) * bucketMs;
    const list = m.get(b) ?? [];
    list.push(x);
    m.set(b, list);
  }
  return m;
}
