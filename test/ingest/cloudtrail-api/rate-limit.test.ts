import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOUDTRAIL_API_SOURCE } from '../../../ingest/sources/cloudtrail-api/target';
import { RateMeter } from '../../support/cloudtrail-wire-rate';
import { countRows } from '../support/db';
import { kmsEvents, makePoller, PROFILES, startHarness, type Harness } from './support/harness';

// Real time here: the limit is what the server measures (its sliding second), the one timing tests may assert.
let h: Harness;
beforeEach(async () => (h = await startHarness({ maxPerSecond: 2 })));
afterEach(() => h.close());

const opts = { backfillDays: 0.1, maxRequestsPerSecond: 1.95, apiLimitPerSecond: 2 };

describe('the LookupEvents rate limit (2 requests/s per account and region, measured by the server)', () => {
  it('one target: uses the allowance without ever exceeding it, and is never throttled', async () => {
    h.server.publish(kmsEvents(300));
    const p = makePoller(h, [{ profile: 'prod', region: 'eu-west-1' }], opts);
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    const scope = `${PROFILES.prod!.accountId}/eu-west-1`;
    expect(h.server.rates.requests(scope)).toBe(6);
    expect(h.server.maxPerSecond(scope)).toBe(2);
    expect(h.server.throttled()).toBe(0);
    expect(countRows(h.dbPath, 'audit_events')).toBe(300);
  });

  it('several accounts and regions at once: each stays within its own limit while together they go faster', async () => {
    const targets = ['prod', 'staging'].flatMap((profile) => ['eu-west-1', 'us-east-1'].map((region) => ({ profile, region })));
    for (const t of targets) h.server.publish(kmsEvents(150, { account: PROFILES[t.profile]!.accountId, region: t.region }));
    const p = makePoller(h, targets, opts);
    expect((await p.poller.runOnce()).map((o) => o.status)).toEqual(['done', 'done', 'done', 'done']);
    await p.close();

    const scopes = h.server.rates.scopes();
    expect(scopes.sort()).toEqual(['111122223333/eu-west-1', '111122223333/us-east-1', '444455556666/eu-west-1', '444455556666/us-east-1']);
    for (const scope of scopes) {
      expect(h.server.rates.requests(scope)).toBe(3);
      expect(h.server.maxPerSecond(scope)).toBeLessThanOrEqual(2);
    }
    expect(h.server.throttled()).toBe(0);
    // Concurrent, not one after another: all four together exceeded one target's limit.
    const all = new RateMeter();
    for (const r of h.server.requests) all.record('all', r.atMs);
    expect(all.maxPerSecond('all')).toBeGreaterThan(2);
    expect(countRows(h.dbPath, 'audit_events')).toBe(600);
    expect((await h.store.listCheckpoints(CLOUDTRAIL_API_SOURCE)).map((c) => c.key).sort()).toEqual([
      'prod/eu-west-1', 'prod/us-east-1', 'staging/eu-west-1', 'staging/us-east-1',
    ]);
  });

  it('a limiter set above the API limit is throttled by the server and adapts down until every page is read', async () => {
    h.server.publish(kmsEvents(200));
    const p = makePoller(h, [{ profile: 'prod', region: 'eu-west-1' }], { ...opts, maxRequestsPerSecond: 20, apiLimitPerSecond: 20, maxAttempts: 20 });
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    const [s] = p.poller.stats();
    expect(h.server.throttled()).toBeGreaterThan(0);
    expect(s!.throttled).toBe(h.server.throttled());
    expect(countRows(h.dbPath, 'audit_events')).toBe(200);
    expect(p.pipeline.stats().totals.duplicates).toBe(0);
  });
});
