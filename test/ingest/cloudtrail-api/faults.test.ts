import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toCheckpoint } from '../../../ingest/sources/cloudtrail-api/checkpoint';
import { createLookupEventsClient } from '../../../ingest/sources/cloudtrail-api/client';
import { CloudTrailAccessError } from '../../../ingest/sources/cloudtrail-api/errors';
import { CLOUDTRAIL_API_SOURCE } from '../../../ingest/sources/cloudtrail-api/target';
import { countRows } from '../support/db';
import { kmsEvents, makePoller, NOW, PROFILES, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));
afterEach(() => h.close());

const PROD = { profile: 'prod', region: 'eu-west-1' };
const SCOPE = `${PROFILES.prod!.accountId}/eu-west-1`;
const opts = { backfillDays: 0.1 };

describe('recovery from throttling and server errors', () => {
  it('backs off with growing, jittered waits on ThrottlingException, slows its limiter, and stores everything once', async () => {
    h.server.publish(kmsEvents(120));
    h.server.throttle(3, SCOPE);
    const p = makePoller(h, [PROD], { ...opts, random: () => 0.5 });
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    expect(h.server.throttled(SCOPE)).toBe(3);
    const errors = h.server.requests.filter((r) => r.errorCode !== null);
    expect(errors.every((r) => r.status === 400)).toBe(true);
    // Equal jitter around 500 ms doubling: 250 + 0.5 × 250, then 500 + 0.5 × 500, ...
    expect(p.sleep.calls).toEqual([375, 750, 1500]);
    const [s] = p.poller.stats();
    expect(s).toMatchObject({ throttled: 3, retries: 3, auditEvents: 120 });
    expect(s!.ratePerSecond).toBeLessThan(200); // halved three times, not yet climbed back
    expect(countRows(h.dbPath, 'audit_events')).toBe(120);
    expect(p.pipeline.stats().totals.duplicates).toBe(0);
  });

  it('retries 500 InternalFailure and 503 ServiceUnavailable', async () => {
    h.server.publish(kmsEvents(75));
    h.server.serverError(2, 'InternalFailure', SCOPE);
    h.server.serverError(1, 'ServiceUnavailable', SCOPE);
    const p = makePoller(h, [PROD], opts);
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    expect(h.server.requests.filter((r) => r.errorCode !== null).map((r) => r.status)).toEqual([500, 500, 503]);
    expect(p.poller.stats()[0]).toMatchObject({ serverErrors: 3, throttled: 0, auditEvents: 75 });
    expect(countRows(h.dbPath, 'audit_events')).toBe(75);
  });

  it('gives up on a page after maxAttempts without advancing the checkpoint; the next poll gets it all', async () => {
    h.server.publish(kmsEvents(30));
    h.server.serverError(4, 'InternalFailure', SCOPE);
    const p = makePoller(h, [PROD], { ...opts, maxAttempts: 4 });
    const [failed] = await p.poller.runOnce();
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/prod\/eu-west-1: LookupEvents failed 4 times, last: InternalFailure/) });
    expect(await h.store.getCheckpoint(CLOUDTRAIL_API_SOURCE, 'prod/eu-west-1')).toBeNull();
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    expect(countRows(h.dbPath, 'audit_events')).toBe(30);
  });
});

describe('NextToken', () => {
  it('reads a window again from its top when its token is refused mid-window', async () => {
    h.server.publish(kmsEvents(140));
    let calls = 0;
    const p = makePoller(h, [PROD], {
      ...opts,
      api: (target, limiter, signal) => {
        const real = createLookupEventsClient({ target, limiter, signal, endpoint: h.server.url, credentials: { accessKeyId: PROFILES.prod!.accessKeyId, secretAccessKey: PROFILES.prod!.secretAccessKey } });
        return {
          lookupPage: async (req, s) => {
            const out = await real.lookupPage(req, s);
            if (++calls === 2) h.server.invalidateTokens(); // the token just issued (for page 3) expires
            return out;
          },
          destroy: () => real.destroy(),
        };
      },
    });
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    expect(h.server.requests.filter((r) => r.errorCode === 'InvalidNextTokenException')).toHaveLength(1);
    expect(p.poller.stats()[0]).toMatchObject({ tokenRestarts: 1 });
    expect(countRows(h.dbPath, 'audit_events')).toBe(140);
    // Pages 1-2 were read twice: the second time skipped (remembered for the overlap) or refused by the store.
    const { stored, duplicates } = p.pipeline.stats().totals.byKind.auditEvents;
    expect(stored).toBe(140);
    expect(duplicates + p.poller.stats()[0]!.skippedSeen).toBe(100);
  });

  it('resumes a window from a checkpoint whose token has expired by reading that window again', async () => {
    h.server.publish(kmsEvents(60));
    const start = new Date(NOW - 3600_000).toISOString();
    await h.store.writeBatch({ checkpoints: [toCheckpoint('prod/eu-west-1', { through: null, window: { start, end: new Date(NOW).toISOString(), nextToken: 'expired-token' }, pages: 1, events: 50 })] });
    const p = makePoller(h, [PROD], opts);
    expect((await p.poller.runOnce())[0]!.status).toBe('done');
    await p.close();
    expect(h.server.requests[0]).toMatchObject({ nextToken: 'expired-token', errorCode: 'InvalidNextTokenException' });
    expect(countRows(h.dbPath, 'audit_events')).toBe(60);
  });
});

describe('credentials and permissions', () => {
  async function preflightError(o: Parameters<typeof makePoller>[2] = {}, targets = [PROD]): Promise<CloudTrailAccessError> {
    const p = makePoller(h, targets, o);
    const err = await p.poller.preflight().then(() => null, (e: unknown) => e);
    await p.close();
    expect(err).toBeInstanceOf(CloudTrailAccessError);
    return err as CloudTrailAccessError;
  }

  it('names cloudtrail:LookupEvents when the caller lacks it (AccessDeniedException)', async () => {
    h.server.deny(PROFILES.prod!.accessKeyId);
    const err = await preflightError({}, [PROD, { profile: 'staging', region: 'eu-west-1' }]);
    expect(err.kind).toBe('access-denied');
    expect(err.message).toMatch(/^CloudTrail target prod\/eu-west-1: the caller is not allowed cloudtrail:LookupEvents \(AccessDenied: User: arn:aws:iam::111122223333:user\/keyscope-prod is not authorized/);
    expect(err.message).toMatch(/grant cloudtrail:LookupEvents to the principal of AWS profile "prod"/);
    expect(err.message).not.toMatch(/staging/); // the other target's credentials work
  });

  it('says the credentials expired (ExpiredTokenException) and how to refresh them', async () => {
    h.server.expire(PROFILES.prod!.accessKeyId);
    const err = await preflightError();
    expect(err.kind).toBe('expired-credentials');
    expect(err.message).toMatch(/credentials of AWS profile "prod" have expired \(ExpiredTokenException: The security token included in the request is expired\); refresh them \(e\.g\. aws sso login --profile prod/);
  });

  it('says AWS does not recognise credentials with an unknown key or a wrong secret', async () => {
    const unknown = await preflightError({ credentials: () => ({ accessKeyId: 'AKIAUNKNOWNEXAMPLE01', secretAccessKey: 'whatever-for-tests' }) });
    expect(unknown.kind).toBe('invalid-credentials');
    expect(unknown.message).toMatch(/UnrecognizedClient|security token included in the request is invalid/);
    const wrongSecret = await preflightError({ credentials: () => ({ accessKeyId: PROFILES.prod!.accessKeyId, secretAccessKey: 'not-the-secret' }) });
    expect(wrongSecret.kind).toBe('invalid-credentials');
    expect(wrongSecret.message).toMatch(/signature we calculated does not match/);
    // The secret itself never appears in an error.
    expect(wrongSecret.message).not.toMatch(/not-the-secret/);
  });

  it('a poll that hits expired credentials fails for that target only, and recovers once they are refreshed', async () => {
    h.server.publish(kmsEvents(10, { account: PROFILES.prod!.accountId }));
    h.server.publish(kmsEvents(10, { account: PROFILES.staging!.accountId }));
    h.server.expire(PROFILES.prod!.accessKeyId);
    const p = makePoller(h, [PROD, { profile: 'staging', region: 'eu-west-1' }], opts);
    const out = await p.poller.runOnce();
    expect(out.map((o) => o.status)).toEqual(['failed', 'done']);
    expect(out[0]!.error).toMatch(/ExpiredTokenException/);
    h.server.restore(PROFILES.prod!.accessKeyId);
    expect((await p.poller.runOnce()).map((o) => o.status)).toEqual(['done', 'done']);
    await p.close();
    expect(countRows(h.dbPath, 'audit_events')).toBe(20);
  });
});
