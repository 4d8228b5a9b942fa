import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/model/audit-event';
import type { KeyOperation } from '../../lib/model/key-operation';
import { kmsThrottlingQuestion } from '../../lib/questions/kms-throttling/definition';
import { BACKENDS } from '../conformance/support/backends';
import { KEKS, SERVICES } from '../support/key-operation-generator';
import { GAP, INCIDENT, MIN, RANGE, expectedStarts, groupByBucket, iso, ms, onCallFixture } from '../support/on-call-fixture';
import { useOnCallStore } from '../support/on-call-store';
import { kmsThrottling } from '../../lib/questions/registry';

const { ops, audit } = onCallFixture();

/** Per bucket: null when the bucket holds no records at all, else how many are throttled. */
function expectedSeries<T>(items: T[], time: (x: T) => number, throttled: (x: T) => boolean, fromMs: number, toMs: number, bucketMs: number) {
  const groups = groupByBucket(items, time, bucketMs);
  return expectedStarts(fromMs, toMs, bucketMs).map((t) => {
    const list = groups.get(t);
    return { t: iso(t), count: list === undefined ? null : list.filter(throttled).length };
  });
}

const opThrottled = (o: KeyOperation) => o.errorClass === 'throttled';
const auditThrottled = (e: AuditEvent) => e.errorCode === 'ThrottlingException';

describe.each(BACKENDS)('%s: kmsThrottling', (backend) => {
  const { store } = useOnCallStore(backend, { withAudit: true });
  const ask = async (input: Record<string, unknown>) =>
    kmsThrottlingQuestion.result.parse(await store().answer(kmsThrottling, kmsThrottlingQuestion.params.parse(input)));

  it('two series per bucket, gaps where there were no records, zeros where none were throttled', async () => {
    const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs) });
    expect(r.bucketMs).toBe(2 * MIN);
    expect(r.operations).toEqual(expectedSeries(ops, (o) => ms(o.time), opThrottled, RANGE.fromMs, RANGE.toMs, 2 * MIN));
    expect(r.auditEvents).toEqual(expectedSeries(audit, (e) => ms(e.time), auditThrottled, RANGE.fromMs, RANGE.toMs, 2 * MIN));
    expect(r.totals).toEqual({ operations: ops.filter(opThrottled).length, auditEvents: audit.filter(auditThrottled).length });
    expect(r.auditFiltersIgnored).toEqual([]);
    const inGap = (p: { t: string }) => ms(p.t) >= GAP.fromMs && ms(p.t) < GAP.toMs;
    expect(r.operations.filter(inGap).every((p) => p.count === null)).toBe(true);
    expect(r.operations.some((p) => p.count === 0)).toBe(true);
    // The incident stands out.
    const peak = Math.max(...r.operations.map((p) => p.count ?? 0));
    const peakAt = ms(r.operations.find((p) => p.count === peak)!.t);
    expect(peakAt >= INCIDENT.fromMs && peakAt < INCIDENT.toMs).toBe(true);
  });

  it('a KEK filter narrows both series (audit events by key id)', async () => {
    const kek = KEKS[1];
    const r = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), filters: { kekId: kek } });
    expect(r.operations).toEqual(expectedSeries(ops.filter((o) => o.kekId === kek), (o) => ms(o.time), opThrottled, RANGE.fromMs, RANGE.toMs, 2 * MIN));
    expect(r.auditEvents).toEqual(expectedSeries(audit.filter((e) => e.keyArn === kek), (e) => ms(e.time), auditThrottled, RANGE.fromMs, RANGE.toMs, 2 * MIN));
    // Naming the KEK by bare key id matches the same audit events.
    const byId = await ask({ from: iso(RANGE.fromMs), to: iso(RANGE.toMs), filters: { kekId: kek.split('/')[1] } });
    expect(byId.auditEvents).toEqual(r.auditEvents);
  });

  it('a service filter narrows operations only, and says so', async () => {
    const service = SERVICES[0];
    const from = INCIDENT.fromMs - 20 * MIN;
    const to = INCIDENT.toMs + 20 * MIN;
    const r = await ask({ from: iso(from), to: iso(to), filters: { service } });
    expect(r.bucketMs).toBe(MIN);
    expect(r.operations).toEqual(expectedSeries(ops.filter((o) => o.service === service), (o) => ms(o.time), opThrottled, from, to, MIN));
    expect(r.auditEvents).toEqual(expectedSeries(audit, (e) => ms(e.time), auditThrottled, from, to, MIN));
    expect(r.auditFiltersIgnored).toEqual(['service']);
  });
});
