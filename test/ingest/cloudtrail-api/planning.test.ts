import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../ingest/sources/cloudtrail-api/backoff';
import { classifyFailure } from '../../../ingest/sources/cloudtrail-api/errors';
import { RateLimiter } from '../../../ingest/sources/cloudtrail-api/rate-limiter';
import { TokenBucket } from '../../../ingest/sources/cloudtrail-api/token-bucket';
import { LOOKUP_RETENTION_MS, planWindows } from '../../../ingest/sources/cloudtrail-api/windows';
import { ConfigError, loadConfig, parseCloudTrailApiTargets } from '../../../lib/config';

/** A clock that only moves when the bucket sleeps: grant times are exact, no wall clock. */
function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), advance: (ms: number) => void (t += ms) };
}

describe('token bucket', () => {
  it('spaces grants at least 1/rate apart, never bursting after idle time', async () => {
    const clock = fakeTime();
    const bucket = new TokenBucket({ maxPerSecond: 1.95, ...clock });
    const grants: number[] = [];
    for (let i = 0; i < 10; i++) {
      await bucket.take();
      grants.push(clock.now());
    }
    clock.advance(10_000); // idle: a bigger bucket would now let several through at once
    for (let i = 0; i < 3; i++) {
      await bucket.take();
      grants.push(clock.now());
    }
    const gaps = grants.slice(1).map((g, i) => g - grants[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 1.95);
    // Any three consecutive grants span more than one second: a 2/s limit never sees three.
    for (let i = 2; i < grants.length; i++) expect(grants[i]! - grants[i - 2]!).toBeGreaterThan(1000);
  });

  it('halves its rate on a throttle and climbs back by 5% of the maximum per success', () => {
    const bucket = new TokenBucket({ maxPerSecond: 2, ...fakeTime() });
    bucket.onThrottle();
    bucket.onThrottle();
    expect(bucket.ratePerSecond).toBeCloseTo(0.5);
    for (let i = 0; i < 5; i++) bucket.onSuccess();
    expect(bucket.ratePerSecond).toBeCloseTo(1);
    for (let i = 0; i < 50; i++) bucket.onSuccess();
    expect(bucket.ratePerSecond).toBe(2);
  });

  it('rejects a waiting take when its signal aborts', async () => {
    const bucket = new TokenBucket({ maxPerSecond: 0.1 });
    await bucket.take();
    const ac = new AbortController();
    const waiting = bucket.take(ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('rate limiter window guard', () => {
  it('never lets a third request start within a second of a completion, however late requests arrive', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxPerSecond: 1.95, ...clock });
    const grants: number[] = [];
    const completions: number[] = [];
    // Latencies up to 400 ms: arrival is anywhere in [grant, completion].
    const latency = [5, 400, 3, 250, 1, 1, 380, 2, 2, 120];
    for (const ms of latency) {
      const release = await limiter.acquire();
      grants.push(clock.now());
      clock.advance(ms);
      completions.push(clock.now());
      release();
    }
    // Worst case: request k arrives as late as it completed, k + 2 as early as it was granted.
    for (let k = 0; k + 2 < grants.length; k++) expect(grants[k + 2]! - completions[k]!).toBeGreaterThan(1000);
    // On a fast link the bucket sets the pace, not the guard.
    expect(grants[9]! - grants[8]!).toBeLessThan(520);
  });

  it('waits for in-flight requests before granting past the window limit', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxPerSecond: 100, windowLimit: 2, ...clock });
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    let third = false;
    const c = limiter.acquire().then((r) => ((third = true), r));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(third).toBe(false);
    a();
    b();
    const done = clock.now();
    (await c)();
    expect(clock.now() - done).toBeGreaterThan(1000);
  });
});

describe('backoff', () => {
  it('grows with the attempt, stays within [step/2, step] and under the cap', () => {
    const o = { baseMs: 500, capMs: 8000 };
    for (let attempt = 1; attempt <= 8; attempt++) {
      const step = Math.min(8000, 500 * 2 ** (attempt - 1));
      expect(backoffDelay(attempt, () => 0, o)).toBe(step / 2);
      expect(backoffDelay(attempt, () => 0.999999, o)).toBe(step);
    }
    expect(backoffDelay(3, () => 0, o)).toBeGreaterThan(backoffDelay(2, () => 0.999999, o) - 1);
  });
});

describe('window planning', () => {
  const now = Date.parse('2026-03-02T12:00:00Z');
  const H = 3600_000;

  it('back-fills a first run in chunks, oldest first, ending now', () => {
    const w = planWindows({ now, through: null, overlapMs: 15 * 60_000, backfillMs: 50 * H, chunkMs: 24 * H });
    expect(w).toEqual([
      { start: now - 50 * H, end: now - 26 * H },
      { start: now - 26 * H, end: now - 2 * H },
      { start: now - 2 * H, end: now },
    ]);
  });

  it('overlaps a later run with the end of the last one, and never reaches past the 90-day retention', () => {
    expect(planWindows({ now, through: now - 60_000, overlapMs: 15 * 60_000, backfillMs: 0, chunkMs: 24 * H })).toEqual([
      { start: now - 16 * 60_000, end: now },
    ]);
    const old = planWindows({ now, through: now - 200 * 24 * H, overlapMs: 0, backfillMs: 0, chunkMs: 1000 * H });
    expect(old[0]!.start).toBe(now - LOOKUP_RETENTION_MS);
  });
});

describe('KEYSCOPE_CLOUDTRAIL_API_* configuration', () => {
  it('parses profile:region and bare regions, and has the documented defaults', () => {
    expect(parseCloudTrailApiTargets(' prod:us-east-1, staging:eu-west-1 ,us-gov-west-1,')).toEqual([
      { profile: 'prod', region: 'us-east-1' },
      { profile: 'staging', region: 'eu-west-1' },
      { profile: null, region: 'us-gov-west-1' },
    ]);
    const c = loadConfig({ KEYSCOPE_CLOUDTRAIL_API_TARGETS: 'prod:us-east-1' }).cloudTrailApi;
    expect(c).toEqual({ targets: [{ profile: 'prod', region: 'us-east-1' }], pollIntervalMs: 60_000, overlapMs: 900_000, backfillDays: 90, maxRequestsPerSecond: 1.98, endpoint: null });
    expect(loadConfig({}).cloudTrailApi.targets).toEqual([]);
  });

  it('refuses bad targets, rates above the API limit and back-fills past its retention', () => {
    expect(() => parseCloudTrailApiTargets('prod:useast1')).toThrow(ConfigError);
    expect(() => parseCloudTrailApiTargets('prod:us-east-1,prod:us-east-1')).toThrow(/twice/);
    expect(() => loadConfig({ KEYSCOPE_CLOUDTRAIL_API_MAX_RPS: '3' })).toThrow(/KEYSCOPE_CLOUDTRAIL_API_MAX_RPS/);
    expect(() => loadConfig({ KEYSCOPE_CLOUDTRAIL_API_BACKFILL_DAYS: '91' })).toThrow(/KEYSCOPE_CLOUDTRAIL_API_BACKFILL_DAYS/);
  });
});

describe('failure classification', () => {
  const err = (name: string, status?: number, code?: string) => Object.assign(new Error(name), { name, code, $metadata: { httpStatusCode: status } });
  it('tells throttles, 5xx, token and credential problems apart', () => {
    expect(classifyFailure(err('ThrottlingException', 400))).toBe('throttled');
    expect(classifyFailure(err('InternalFailure', 500))).toBe('transient');
    expect(classifyFailure(err('ServiceUnavailable', 503))).toBe('transient');
    expect(classifyFailure(err('TimeoutError', undefined, 'ECONNRESET'))).toBe('transient');
    expect(classifyFailure(err('InvalidNextTokenException', 400))).toBe('invalid-token');
    expect(classifyFailure(err('AccessDeniedException', 400))).toBe('access-denied');
    expect(classifyFailure(err('ExpiredTokenException', 400))).toBe('expired-credentials');
    expect(classifyFailure(err('UnrecognizedClientException', 400))).toBe('invalid-credentials');
    expect(classifyFailure(err('CredentialsProviderError'))).toBe('missing-credentials');
    expect(classifyFailure(err('InvalidTimeRangeException', 400))).toBe('other');
  });
});
