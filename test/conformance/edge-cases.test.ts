import { afterEach, describe, expect, it } from 'vitest';
import type { KeyOperation } from '../../lib/model/key-operation';
import type { Store } from '../../lib/store/types';
import { makeOperation } from '../support/event-fixtures';
import { BACKENDS, openEmptyStore, type BackendName, type OpenedStore } from './support/backends';
import { failureBreakdown, filterValues, ingestHealth, kmsThrottling, latencyPercentiles, sliSeries, sloStatus } from '../../lib/questions/registry';

/*
 * Edge cases every backend must answer alike: nothing stored, one event, events exactly on
 * bucket and range edges, thousands of groups, and unicode where users put it.
 */
const T = Date.UTC(2026, 4, 10, 12);
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const op = (i: number, patch: Partial<KeyOperation>): KeyOperation => ({ ...makeOperation(i), operation: 'unwrap', ...patch });

const opened: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.cleanup()));
});
/** The same records in a fresh store of every backend. */
async function storesWith(ops: KeyOperation[]): Promise<Map<BackendName, Store>> {
  const out = new Map<BackendName, Store>();
  for (const b of BACKENDS) {
    const o = await openEmptyStore(b, () => T + 60 * MIN);
    opened.push(o);
    if (ops.length > 0) {
      for (let i = 0; i < ops.length; i += 2000) await o.store.writeBatch({ source: 'edge', keyOperations: ops.slice(i, i + 2000) });
    }
    out.set(b, o.store);
  }
  return out;
}
/** Asks every backend and expects one answer; returns it for absolute checks. */
async function agree<T>(stores: Map<BackendName, Store>, ask: (s: Store) => Promise<T>): Promise<T> {
  const answers = await Promise.all([...stores.values()].map(ask));
  for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  return answers[0]!;
}

describe('every backend, edge cases', () => {
  it('answers an empty store with gaps, zeros and nulls, never an error', async () => {
    const stores = await storesWith([]);
    const range = { from: iso(T), to: iso(T + 60 * MIN), filters: {} };
    const sli = await agree(stores, (s) => s.answer(sliSeries, { ...range, sli: 'unwrap_success' }));
    expect(sli.points.every((p) => p.total === null)).toBe(true);
    expect(sli.summary).toEqual({ good: 0, total: 0, ratio: null });
    // Everything but how each backend computes percentiles (exact or HDR) must agree.
    const lat = await agree(stores, async (s) => ({ ...(await s.answer(latencyPercentiles, { ...range, operation: 'unwrap' })), method: undefined }));
    expect(lat.overall).toEqual({ count: null, p50: null, p95: null, p99: null });
    expect((await agree(stores, (s) => s.answer(failureBreakdown, { ...range, by: 'service', limit: 5 }))).total).toBe(0);
    expect((await agree(stores, (s) => s.answer(kmsThrottling, range))).totals).toEqual({ operations: 0, auditEvents: 0 });
    expect(await agree(stores, (s) => s.answer(filterValues, { from: range.from, to: range.to, limit: 10 }))).toEqual({ services: [], tenants: [], kekIds: [], truncated: false });
    const health = await agree(stores, (s) => s.answer(ingestHealth, { from: range.from, to: range.to, latest: 3 }));
    expect(health.sources).toEqual([]);
    await agree(stores, (s) => s.answer(sloStatus, { slo: { id: 'u', name: 'Unwrap success', sli: 'unwrap_success', objective: 0.999, windowDays: 30, filters: {} }, now: iso(T) }));
  });

  it('answers a single event the same everywhere', async () => {
    const stores = await storesWith([op(1, { time: iso(T + 5 * MIN + 1), latencyMs: 12.5 })]);
    const range = { from: iso(T), to: iso(T + 60 * MIN), filters: {} };
    const sli = await agree(stores, (s) => s.answer(sliSeries, { ...range, sli: 'unwrap_success' }));
    expect(sli.summary.total).toBe(1);
    // Percentiles are approximate on some backends: each within 0.5% of the one value.
    for (const [name, s] of stores) {
      const lat = await s.answer(latencyPercentiles, { ...range, operation: 'unwrap' });
      expect(lat.overall.count, name).toBe(1);
      for (const v of [lat.overall.p50, lat.overall.p95, lat.overall.p99]) expect(Math.abs(v! - 12.5), name).toBeLessThanOrEqual(12.5 * 0.005);
    }
  });

  it('puts an event on a bucket boundary in the later bucket and leaves one at `to` out', async () => {
    const ops = [
      op(1, { time: iso(T) }), // first instant of the range and of the first bucket
      op(2, { time: iso(T + 10 * MIN - 1) }), // last millisecond of a bucket
      op(3, { time: iso(T + 10 * MIN) }), // first millisecond of the next
      op(4, { time: iso(T + 60 * MIN) }), // exactly `to`: outside [from, to)
      op(5, { time: iso(T - 1) }), // just before `from`
    ];
    const stores = await storesWith(ops);
    const range = { from: iso(T), to: iso(T + 60 * MIN), filters: {} };
    const sli = await agree(stores, (s) => s.answer(sliSeries, { ...range, sli: 'unwrap_success' }));
    expect(sli.summary.total).toBe(3);
    const byT = new Map(sli.points.map((p) => [p.t, p.total]));
    expect(sli.bucketMs).toBe(MIN);
    expect([byT.get(iso(T)), byT.get(iso(T + 9 * MIN)), byT.get(iso(T + 10 * MIN))]).toEqual([1, 1, 1]);
    const failures = await agree(stores, (s) => s.answer(failureBreakdown, { ...range, by: 'errorClass', limit: 5, filters: {} }));
    expect(failures.total).toBe(0);
  });

  it('counts thousands of failing services exactly, top N plus "other"', async () => {
    const ops = Array.from({ length: 3000 }, (_, i) =>
      op(i, { time: iso(T + (i % 50) * MIN), service: `svc-${String(i % 2500).padStart(4, '0')}`, outcome: 'failure', errorClass: 'kms_unavailable', errorCode: 'KMSInternalException' }));
    const stores = await storesWith(ops);
    const res = await agree(stores, (s) => s.answer(failureBreakdown, { from: iso(T), to: iso(T + 60 * MIN), by: 'service', limit: 10, filters: {} }));
    expect(res.total).toBe(3000);
    expect(res.rows[0]).toEqual({ key: 'svc-0000', count: 2, share: 2 / 3000 });
    expect(res.other).toEqual({ count: 3000 - 20, groups: 2490, share: 2980 / 3000 });
    const values = await agree(stores, (s) => s.answer(filterValues, { from: iso(T), to: iso(T + 60 * MIN), limit: 1000 }));
    expect(values.services).toHaveLength(1000);
    expect(values.truncated).toBe(true);
  });

  it('matches unicode tenants and services exactly and sorts them the same way', async () => {
    const names = ['Zürich-bank', 'zürich-bank', '東京-tenant', 'émile', 'tenant-😀', 'a b'];
    const ops = names.map((tenant, i) => op(i, { time: iso(T + i * MIN), tenant, service: `svc-${tenant}` }));
    const stores = await storesWith(ops);
    const values = await agree(stores, (s) => s.answer(filterValues, { from: iso(T), to: iso(T + 60 * MIN), limit: 50 }));
    expect(new Set(values.tenants)).toEqual(new Set(names));
    for (const tenant of names) {
      const sli = await agree(stores, (s) => s.answer(sliSeries, { from: iso(T), to: iso(T + 60 * MIN), sli: 'unwrap_success', filters: { tenant } }));
      expect(sli.summary.total, tenant).toBe(1);
    }
  });
});
