import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOUDTRAIL_API_SOURCE } from '../../../ingest/sources/cloudtrail-api/target';
import { countRows, deadLetters, query } from '../support/db';
import { kmsEvents, makePoller, NOW, PROFILES, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));
afterEach(() => h.close());

const PROD = { profile: 'prod', region: 'eu-west-1' };
const SCOPE = `${PROFILES.prod!.accountId}/eu-west-1`;

describe('LookupEvents paging', () => {
  it('pages each window newest first with NextToken, 50 at a time, filtered on kms.amazonaws.com, and stores every event once', async () => {
    const published = h.server.publish(kmsEvents(237, { stepMs: 5 * 60_000 })); // ~20 h: spans two 1-day windows
    const p = makePoller(h, [PROD]);
    expect(await p.poller.runOnce()).toEqual([{ target: 'prod/eu-west-1', status: 'done' }]);
    await p.close();

    const calls = h.server.requests.filter((r) => r.scope === SCOPE);
    expect(calls.every((r) => r.status === 200 && r.maxResults === 50 && /CloudTrail_20131101\.LookupEvents$/.test(r.target))).toBe(true);
    // Two day-windows (backfillDays 2): 237 events → pages of 50, each chain started without a token.
    expect(calls.map((r) => r.events).reduce((a, b) => a + b, 0)).toBe(237);
    expect(calls.filter((r) => r.nextToken === undefined)).toHaveLength(2);
    expect(calls.filter((r) => r.events === 50).length).toBe(4);
    expect(p.poller.stats()[0]).toMatchObject({ pages: calls.length, events: 237, auditEvents: 237, deadLetters: 0, throttled: 0 });

    const ids = query<{ id: string }>(h.dbPath, 'SELECT id FROM audit_events ORDER BY id').map((r) => r.id);
    expect(ids).toEqual(published.map((e) => e.id).sort());
    const [cp] = await h.store.listCheckpoints(CLOUDTRAIL_API_SOURCE);
    expect(cp).toMatchObject({ key: 'prod/eu-west-1', value: { through: new Date(NOW).toISOString(), window: null, pages: calls.length, events: 237 } });
  });

  it('sends the EventSource lookup attribute and epoch-second times the wire expects', async () => {
    h.server.publish(kmsEvents(3));
    const p = makePoller(h, [PROD], { backfillDays: 0.5 });
    await p.poller.runOnce();
    await p.close();
    const [call] = h.server.requests;
    expect(call).toMatchObject({ startTime: (NOW - 12 * 3600_000) / 1000, endTime: NOW / 1000, status: 200, events: 3 });
    // An event outside [StartTime, EndTime] is not returned.
    expect(countRows(h.dbPath, 'audit_events')).toBe(3);
  });

  it('dead-letters malformed CloudTrailEvent records with the reason and stores the rest of the page', async () => {
    const good = kmsEvents(4, { label: 'good' });
    // Read liberally: an eventID that is not a UUID and a missing userIdentity are stored as they are...
    const otherId = { ...kmsEvents(1, { label: 'other-id' })[0]!, eventID: 'not-a-uuid' };
    const noUser = { ...kmsEvents(1, { label: 'no-user' })[0]! };
    delete noUser.userIdentity;
    // ...a record without an eventName cannot be identified.
    const noName = { ...kmsEvents(1, { label: 'no-name' })[0]! };
    delete noName.eventName;
    h.server.publish([...good, otherId, noUser, noName]);
    // A record the server serves as text that is not JSON: corrupt the stored record's serialisation.
    const [broken] = h.server.publish(kmsEvents(1, { label: 'not-json' }));
    broken!.record = { toJSON: () => undefined } as unknown as Record<string, unknown>;

    const p = makePoller(h, [PROD]);
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    expect(countRows(h.dbPath, 'audit_events')).toBe(6);
    const dead = deadLetters(h.dbPath);
    expect(dead).toHaveLength(2);
    expect(dead.every((d) => d.source === 'cloudtrail-api' && d.location.startsWith('prod/eu-west-1 EventId='))).toBe(true);
    const reasons = dead.map((d) => d.reason).join('\n');
    expect(reasons).toMatch(/eventName: required field is missing/);
    expect(reasons).toMatch(/CloudTrailEvent: (invalid JSON|required field is missing)/);
    expect(p.poller.stats()[0]).toMatchObject({ auditEvents: 6, deadLetters: 2 });
  });
});
