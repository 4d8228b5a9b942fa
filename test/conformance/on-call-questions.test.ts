import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SLOS } from '../../lib/detect/slo-config';
import type { DeadLetter } from '../../lib/model/dead-letter';
import type { Store } from '../../lib/store/types';
import { KEKS, SERVICES, TENANTS } from '../support/key-operation-generator';
import { GAP, HOUR, INCIDENT, MIN, RANGE, T0, groupByBucket, iso, onCallFixture } from '../support/on-call-fixture';
import { BACKENDS, openEmptyStore, type BackendName, type OpenedStore } from './support/backends';
import { percentileMisses } from './support/percentile-tolerance';
import { failureBreakdown, filterValues, ingestHealth, kmsThrottling, latencyPercentiles, sliSeries, sloStatus } from '../../lib/questions/registry';

/*
 * Every on-call question against every backend on the same six hours of data: answers
 * must be identical (percentiles: within the stated tolerance of the exact values).
 */
const NOW = T0 + 6 * HOUR + 7 * MIN;
const { ops, audit } = onCallFixture();
const deadLetters: DeadLetter[] = [1, 2, 3].map((i) => ({
  id: `intake-http:req-${i}:1`, receivedAt: iso(T0 + i * HOUR), source: 'intake-http', location: `req-${i} line 1`,
  reason: 'operation: Invalid option', payload: '{"operation":"frobnicate"}',
}));

const stores = new Map<BackendName, OpenedStore>();
beforeAll(async () => {
  for (const b of BACKENDS) {
    const o = await openEmptyStore(b, () => NOW);
    // Two batches from two sources, as an import and the intake would write them.
    await o.store.writeBatch({ source: 'cloudtrail-files', auditEvents: audit });
    await o.store.writeBatch({ source: 'intake-http', keyOperations: ops, deadLetters });
    stores.set(b, o);
  }
});
afterAll(async () => {
  for (const o of stores.values()) await o.cleanup();
});
const store = (b: BackendName): Store => stores.get(b)!.store;
const reference = (): Store => store('sqlite');

const full = { from: iso(RANGE.fromMs), to: iso(RANGE.toMs) };
const ranges = {
  'six hours': full,
  'the incident': { from: iso(INCIDENT.fromMs), to: iso(INCIDENT.toMs) },
  'unaligned edges': { from: iso(T0 + 17 * MIN + 1234), to: iso(T0 + 3 * HOUR + 41 * MIN) },
  'inside the gap': { from: iso(GAP.fromMs + MIN), to: iso(GAP.toMs - MIN) },
  'a day before any data': { from: iso(T0 - 2 * 24 * HOUR), to: iso(T0 - 24 * HOUR) },
};
const filterSets = [{}, { service: SERVICES[0] }, { tenant: TENANTS[2] }, { kekId: KEKS[1] }, { service: SERVICES[1], tenant: TENANTS[0] }, { tenant: 'nobody' }];

describe.each(BACKENDS.filter((b) => b !== 'sqlite'))('%s answers as sqlite does', (backend) => {
  it.each(Object.entries(ranges))('sliSeries over %s, every SLI and filter', async (_name, range) => {
    for (const filters of filterSets) {
      for (const spec of [{ sli: 'unwrap_success' }, { sli: 'cache_hit' }, { sli: 'unwrap_latency', thresholdMs: 200 }, { sli: 'unwrap_latency', thresholdMs: 37.5 }] as const) {
        const p = { ...range, ...spec, filters };
        expect(await store(backend).answer(sliSeries, p), JSON.stringify(p)).toEqual(await reference().answer(sliSeries, p));
      }
    }
  });

  it('sloStatus for every default SLO at several instants', async () => {
    for (const now of [NOW, INCIDENT.fromMs + 10 * MIN, GAP.fromMs + 5 * MIN, T0 - HOUR]) {
      for (const slo of DEFAULT_SLOS) {
        const p = { slo, now: iso(now) };
        expect(await store(backend).answer(sloStatus, p), `${slo.id} at ${iso(now)}`).toEqual(await reference().answer(sloStatus, p));
      }
    }
  });

  it.each(Object.entries(ranges))('failureBreakdown over %s by every grouping, with "other"', async (_name, range) => {
    for (const by of ['errorClass', 'service', 'kekId'] as const) {
      for (const limit of [1, 2, 10]) {
        for (const operation of [undefined, 'unwrap'] as const) {
          const p = { ...range, by, limit, filters: {}, ...(operation ? { operation } : {}) };
          expect(await store(backend).answer(failureBreakdown, p), JSON.stringify(p)).toEqual(await reference().answer(failureBreakdown, p));
        }
      }
    }
  });

  it.each(Object.entries(ranges))('kmsThrottling over %s with each filter', async (_name, range) => {
    for (const filters of filterSets) {
      const p = { ...range, filters };
      expect(await store(backend).answer(kmsThrottling, p), JSON.stringify(p)).toEqual(await reference().answer(kmsThrottling, p));
    }
  });

  it('filterValues, cut at a limit and whole', async () => {
    for (const limit of [1, 2, 5, 200]) {
      for (const range of Object.values(ranges)) {
        const p = { ...range, limit };
        expect(await store(backend).answer(filterValues, p), JSON.stringify(p)).toEqual(await reference().answer(filterValues, p));
      }
    }
  });

  it('ingestHealth: sources, lag and dead letters', async () => {
    for (const range of Object.values(ranges)) {
      const p = { ...range, latest: 2 };
      expect(await store(backend).answer(ingestHealth, p)).toEqual(await reference().answer(ingestHealth, p));
    }
    const h = await store(backend).answer(ingestHealth, { ...full, latest: 5 });
    expect(h.sources.map((s) => [s.source, s.kind, s.records])).toEqual([['cloudtrail-files', 'auditEvent', audit.length], ['intake-http', 'keyOperation', ops.length]]);
  });
});

describe.each(BACKENDS)('%s latency percentiles', (backend) => {
  it.each(Object.entries(ranges))('are the exact nearest-rank values (sqlite) or within tolerance over %s', async (_name, range) => {
    for (const filters of [{}, { service: SERVICES[2] }]) {
      for (const operation of ['unwrap', 'generate_data_key'] as const) {
        const res = await store(backend).answer(latencyPercentiles, { ...range, operation, filters });
        const inRange = ops.filter((o) => o.operation === operation && Date.parse(o.time) >= Date.parse(res.from) && Date.parse(o.time) < Date.parse(res.to)
          && (filters.service === undefined || o.service === filters.service));
        const buckets = groupByBucket(inRange, (o) => Date.parse(o.time), res.bucketMs);
        const sorted = (list: typeof ops) => list.map((o) => o.latencyMs).sort((a, b) => a - b);
        const misses = res.points.flatMap((pt) => percentileMisses(pt, sorted(buckets.get(Date.parse(pt.t)) ?? []), pt.t));
        misses.push(...percentileMisses(res.overall, sorted(inRange), 'overall'));
        expect(misses).toEqual([]);
        // The page tells the reader which it is.
        expect(res.method).toBe(backend === 'sqlite' ? 'exact' : 'hdr');
        if (backend === 'sqlite') expect(res.overall.p95).toBe(inRange.length ? sorted(inRange)[Math.ceil(0.95 * inRange.length) - 1] : null);
      }
    }
  });

  it('agree with sqlite on bucketing and counts exactly', async () => {
    const p = { ...full, operation: 'unwrap' as const, filters: {} };
    const mine = await store(backend).answer(latencyPercentiles, p);
    const ref = await reference().answer(latencyPercentiles, p);
    expect(mine.points.map((x) => [x.t, x.count])).toEqual(ref.points.map((x) => [x.t, x.count]));
    expect([mine.bucketMs, mine.from, mine.to, mine.overall.count]).toEqual([ref.bucketMs, ref.from, ref.to, ref.overall.count]);
  });
});
