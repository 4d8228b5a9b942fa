import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pipeline } from '../../../ingest/pipeline/pipeline';
import { readCheckpoint } from '../../../ingest/sources/cloudtrail-api/checkpoint';
import { CLOUDTRAIL_API_SOURCE } from '../../../ingest/sources/cloudtrail-api/target';
import type { Store, WriteBatch } from '../../../lib/store/types';
import { countRows, query } from '../support/db';
import { kmsEvents, makePoller, NOW, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));
afterEach(() => h.close());

const PROD = { profile: 'prod', region: 'eu-west-1' };
const KEY = 'prod/eu-west-1';
const MIN = 60_000;

async function checkpoint(store: Store) {
  return readCheckpoint(await store.getCheckpoint(CLOUDTRAIL_API_SOURCE, KEY));
}

const storedIds = (dbPath: string) => query<{ id: string }>(dbPath, 'SELECT id FROM audit_events').map((r) => r.id);

describe('checkpoints advance only after the store acknowledged the page', () => {
  it('a failed store write leaves the checkpoint on the last committed page; a restart resumes from it and loses nothing', async () => {
    // 180 events, one every 10 s back from NOW - 1 min: pages of 50, newest first; the last
    // 15 minutes (the overlap of the next poll) hold events 0..84.
    const published = h.server.publish(kmsEvents(180, { stepMs: 10_000 }));
    // The store takes one write, then fails every write (a full disk, say). A page fills a
    // batch of 50 and carries its checkpoint, so each write is exactly one page.
    let writes = 0;
    const refused: WriteBatch[] = [];
    const failing: Pick<Store, 'writeBatch'> = {
      writeBatch: async (b: WriteBatch) => {
        if (++writes > 1) {
          refused.push(b);
          throw new Error('SQLITE_FULL: database or disk is full');
        }
        return h.store.writeBatch(b);
      },
    };
    const pipeline = new Pipeline({ source: CLOUDTRAIL_API_SOURCE, store: failing, batchRecords: 50, batchMaxAgeMs: 1, maxWriteAttempts: 2, retryBaseMs: 1 });
    const first = makePoller(h, [PROD], { pipeline, backfillDays: 0.1 });
    const [outcome] = await first.poller.runOnce();
    await first.close();
    expect(outcome!.status).toBe('failed');
    expect(outcome!.error).toMatch(/disk is full/);

    // The checkpoint is the one committed with the acknowledged write: page 1, with page 2's token...
    const cp = await checkpoint(h.store);
    expect(cp).toMatchObject({ through: null, pages: 1, events: 50 });
    expect(cp.window?.nextToken).toEqual(expect.any(String));
    expect(countRows(h.dbPath, 'audit_events')).toBe(50);
    // ...although the poller had read and submitted further: page 2's write was refused, twice.
    expect(refused).toHaveLength(2);
    expect(refused[0]!.checkpoints).toHaveLength(1);
    expect(first.poller.stats()[0]!.pages).toBeGreaterThan(cp.pages);

    const again = makePoller(h, [PROD], { backfillDays: 0.1 });
    expect((await again.poller.runOnce())[0]!.status).toBe('done');
    await again.close();
    // Resumed with the checkpoint's token: the interrupted window's other 130 events (50..179),
    // then the overlap before its end (events 0..84). Nothing is stored twice.
    const secondRun = h.server.requests.slice(-again.poller.stats()[0]!.requests);
    expect(secondRun[0]!.nextToken).toBe(cp.window!.nextToken);
    expect(again.poller.stats()[0]!.events).toBe(130 + 85);
    expect(again.pipeline.stats().totals.byKind.auditEvents).toEqual({ stored: 130, duplicates: 50 });
    // Every re-read is counted once: events 50..84 were stored by this run's resumed window
    // and skipped by the poller; events 0..49, stored before the restart, refused by the store.
    expect(again.poller.stats()[0]!.skippedSeen).toBe(35);
    expect(storedIds(h.dbPath).sort()).toEqual(published.map((e) => e.id).sort());
    expect(await checkpoint(h.store)).toMatchObject({ through: new Date(NOW).toISOString(), window: null, events: 50 + 130 + 85 });
  });
});

describe('overlap and late events', () => {
  it('re-reads the overlap on every poll, skipping what it stored, and counts the skips', async () => {
    let now = NOW;
    h.server.publish(kmsEvents(30, { newest: NOW - MIN, stepMs: MIN })); // the last 30 minutes
    const p = makePoller(h, [PROD], { backfillDays: 0.1, overlapMs: 15 * MIN, now: () => now });
    await p.poller.runOnce();
    expect(countRows(h.dbPath, 'audit_events')).toBe(30);

    now = NOW + 5 * MIN;
    h.server.publish(kmsEvents(4, { newest: NOW + 4 * MIN, stepMs: MIN, label: 'new' }));
    await p.poller.runOnce();
    const [s] = p.poller.stats();
    await p.close();
    // Second poll: [NOW - 15 min, NOW + 5 min] holds 15 old events (skipped) and 4 new ones.
    const second = h.server.requests.at(-1)!;
    expect(second.startTime).toBe((NOW - 15 * MIN) / 1000);
    expect(s).toMatchObject({ events: 30 + 15 + 4, skippedSeen: 15, auditEvents: 34 });
    expect(p.pipeline.stats().totals.duplicates).toBe(0);
    expect(countRows(h.dbPath, 'audit_events')).toBe(34);
  });

  it('after a restart (nothing remembered) the overlap reaches the store, which refuses the duplicates and counts them', async () => {
    h.server.publish(kmsEvents(20, { newest: NOW - MIN, stepMs: MIN }));
    const a = makePoller(h, [PROD], { backfillDays: 0.1 });
    await a.poller.runOnce();
    await a.close();
    const b = makePoller(h, [PROD], { backfillDays: 0.1, now: () => NOW + MIN });
    await b.poller.runOnce();
    await b.close();
    // [through - 15 min, now]: the 15 events of the overlap, all already stored.
    expect(b.poller.stats()[0]).toMatchObject({ skippedSeen: 0, auditEvents: 15 });
    expect(b.pipeline.stats().totals.byKind.auditEvents).toEqual({ stored: 0, duplicates: 15 });
    expect(countRows(h.dbPath, 'audit_events')).toBe(20);
  });

  it('picks up an event that became visible after the poll that covered its eventTime, when it is within the overlap', async () => {
    let now = NOW;
    h.server.publish(kmsEvents(10, { newest: NOW - MIN, stepMs: MIN }));
    const late = h.server.publish(kmsEvents(2, { newest: NOW - 3 * MIN, stepMs: MIN, label: 'late' }), { hidden: true });
    const tooLate = h.server.publish(kmsEvents(1, { newest: NOW - 40 * MIN, label: 'too-late' }), { hidden: true });
    const p = makePoller(h, [PROD], { backfillDays: 0.1, overlapMs: 15 * MIN, now: () => now });
    await p.poller.runOnce();
    expect(countRows(h.dbPath, 'audit_events')).toBe(10);

    h.server.reveal(); // delivered late
    now = NOW + MIN;
    await p.poller.runOnce();
    await p.close();
    const ids = storedIds(h.dbPath);
    expect(ids).toEqual(expect.arrayContaining(late.map((e) => e.id)));
    expect(countRows(h.dbPath, 'audit_events')).toBe(12);
    // Later than the overlap allows: documented as the trail files' job (README).
    expect(ids).not.toContain(tooLate[0]!.id);
  });
});
