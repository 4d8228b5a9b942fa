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
    const published = h.server.publish(kmsEvents(180, { stepMs: 10_000 }));
    // The store takes two writes, then fails every write (a full disk, say).
    let writes = 0;
    const refused: WriteBatch[] = [];
    const failing: Pick<Store, 'writeBatch'> = {
      writeBatch: async (b: WriteBatch) => {
        if (++writes > 2) {
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

    // The checkpoint is the one committed with the last acknowledged write: mid-window, with the next page's token...
    const cp = await checkpoint(h.store);
    const stored = countRows(h.dbPath, 'audit_events');
    expect(cp.through).toBeNull();
    expect(cp.window?.nextToken).toEqual(expect.any(String));
    expect(cp.pages).toBeGreaterThanOrEqual(1);
    // ...never past what is stored (records may commit ahead of their checkpoint, never behind it)...
    expect(cp.events).toBeLessThanOrEqual(stored);
    expect(stored).toBeLessThan(180);
    // ...although the poller had read and submitted further: those pages' writes were refused.
    expect(refused.length).toBeGreaterThan(0);
    expect(first.poller.stats()[0]!.pages).toBeGreaterThan(cp.pages);

    const again = makePoller(h, [PROD], { backfillDays: 0.1 });
    expect((await again.poller.runOnce())[0]!.status).toBe('done');
    await again.close();
    // Resumed with the checkpoint's token: the interrupted window's remaining 180 - cp.events events, then the usual
    // overlap before its end (15 min = 85 events, all stored already). Nothing is stored twice; the store counts the rest.
    const secondRun = h.server.requests.slice(-again.poller.stats()[0]!.requests);
    expect(secondRun[0]!.nextToken).toBe(cp.window!.nextToken);
    expect(again.poller.stats()[0]!.events).toBe(180 - cp.events + 85);
    // Every re-read is counted once: skipped by the poller (stored earlier in this run) or refused by the store.
    const { stored: newlyStored, duplicates } = again.pipeline.stats().totals.byKind.auditEvents;
    expect(newlyStored).toBe(180 - stored);
    expect(duplicates + again.poller.stats()[0]!.skippedSeen).toBe(stored - cp.events + 85);
    expect(again.poller.stats()[0]!.skippedSeen).toBeGreaterThan(0);
    expect(storedIds(h.dbPath).sort()).toEqual(published.map((e) => e.id).sort());
    expect(await checkpoint(h.store)).toMatchObject({ through: new Date(NOW).toISOString(), window: null, events: 180 + 85 });
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
