import type { TimeBounds } from '../../../lib/model/time-window';
import type { Logger } from 'pino';
import type { CloudTrailApiConfig, CloudTrailApiTarget } from '../../../lib/config';
import type { Store } from '../../../lib/store/types';
import type { Pipeline } from '../../pipeline/pipeline';
import type { BackoffOptions } from './backoff';
import { createLookupEventsClient, type AwsCredentials, type LookupEventsApi } from './client';
import { CloudTrailAccessError, CloudTrailApiError } from './errors';
import { realSleep, type Sleep } from './sleep';
import { apiTarget, type ApiTarget } from './target';
import { TargetPoller, type TargetStats, type WindowProgress } from './target-poller';
import { RateLimiter } from './rate-limiter';

const DAY_MS = 24 * 3600_000;

export type PollerOptions = Omit<CloudTrailApiConfig, 'targets'> & {
  targets: readonly CloudTrailApiTarget[];
  pipeline: Pipeline;
  store: Pick<Store, 'getCheckpoint'>;
  /** Bounds on record times (lib/model/time-window.ts); the defaults when absent. */
  timeBounds?: TimeBounds;
  logger: Logger;
  /** Requests per second the API allows per account and region, as its server counts them (default 2, LookupEvents' limit). */
  apiLimitPerSecond?: number;
  /** Longest window one NextToken chain covers (default 1 day). */
  chunkMs?: number;
  /** Attempts per page (default 8). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Static credentials per target (tests); undefined means the standard chain with the target's profile. */
  credentials?: (target: ApiTarget) => AwsCredentials | undefined;
  /** Replaces the SDK client (tests that count or fail calls below the wire). */
  api?: (target: ApiTarget, limiter: RateLimiter, signal: AbortSignal) => LookupEventsApi;
  /** Event-time clock (windows, checkpoints) and the backoff's sleep and jitter. */
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  /** The limiter's own clock and sleep (monotonic real time unless a test replaces them). */
  limiterNow?: () => number;
  limiterSleep?: Sleep;
  onProgress?: (p: PollerProgress) => void;
};

/** Time range read so far over all targets (the back-fill's progress bar). */
export type PollerProgress = WindowProgress & { targets: Record<string, WindowProgress> };

export type TargetOutcome = { target: string; status: 'done' | 'stopped' | 'failed'; error?: string };

/**
 * The cloudtrail-api source: every configured target (profile + region) polled at once,
 * each with its own client, token bucket and checkpoint. `runOnce` is one poll per target
 * (a first run back-fills); `start` polls every `pollIntervalMs` until `stop`.
 */
export class CloudTrailApiPoller {
  private readonly controller = new AbortController();
  private readonly pollers: TargetPoller[];
  private readonly apis: LookupEventsApi[] = [];
  private readonly progress = new Map<string, WindowProgress>();
  private loops: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private readonly sleep: Sleep;

  constructor(private readonly o: PollerOptions) {
    this.sleep = o.sleep ?? realSleep;
    const signal = this.controller.signal;
    this.pollers = o.targets.map(apiTarget).map((target) => {
      const limiter = new RateLimiter({
        maxPerSecond: o.maxRequestsPerSecond, windowLimit: o.apiLimitPerSecond ?? 2, windowMs: 1000, now: o.limiterNow, sleep: o.limiterSleep,
      });
      const credentials = o.credentials?.(target);
      const api = o.api?.(target, limiter, signal)
        ?? createLookupEventsClient({ target, limiter, signal, endpoint: o.endpoint, ...(credentials ? { credentials } : {}) });
      this.apis.push(api);
      return new TargetPoller({
        target, api, limiter, pipeline: o.pipeline, store: o.store, signal,
        overlapMs: o.overlapMs, backfillMs: o.backfillDays * DAY_MS, chunkMs: o.chunkMs ?? DAY_MS, maxAttempts: o.maxAttempts ?? 8,
        backoff: o.backoff, timeBounds: o.timeBounds, now: o.now ?? Date.now, sleep: this.sleep, random: o.random ?? Math.random, logger: o.logger,
        onProgress: (key, p) => this.onProgress(key, p),
      });
    });
  }

  get targets(): string[] {
    return this.pollers.map((p) => p.key);
  }

  /**
   * One small call per target, all at once. Throws a CloudTrailAccessError naming every
   * target whose credentials or permissions fail (the fix is the same kind for each).
   */
  async preflight(): Promise<void> {
    const results = await Promise.allSettled(this.pollers.map((p) => p.probe()));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    if (errors.length === 0) return;
    const access = errors.filter((e): e is CloudTrailAccessError => e instanceof CloudTrailAccessError);
    const message = errors.map((e) => e.message).join('\n');
    if (access.length === errors.length) throw new CloudTrailAccessError(access[0]!.kind, message, { cause: errors[0] });
    throw new CloudTrailApiError(message, { cause: errors[0] });
  }

  /** One poll of every target, concurrently; a failing target does not stop the others. */
  async runOnce(): Promise<TargetOutcome[]> {
    const results = await Promise.allSettled(this.pollers.map((p) => p.pollOnce()));
    return results.map((r, i) => {
      const target = this.pollers[i]!.key;
      if (r.status === 'fulfilled') return { target, status: r.value };
      return { target, status: 'failed', error: (r.reason as Error).message };
    });
  }

  /** Polls every target until stop(); a failed poll is logged and tried again on the next interval. */
  start(): void {
    this.loops ??= Promise.all(this.pollers.map((p) => this.loop(p))).then(() => undefined);
  }

  /** Abandons the pages in flight (their checkpoints are not advanced) and ends the loops. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.controller.abort(new Error('CloudTrail poller stopping'));
      await this.loops;
      for (const api of this.apis) api.destroy();
    })();
    return this.stopping;
  }

  stats(): TargetStats[] {
    return this.pollers.map((p) => ({ ...p.stats }));
  }

  private async loop(p: TargetPoller): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        if ((await p.pollOnce()) === 'stopped') return;
      } catch (err) {
        if (this.o.pipeline.stats().failed) return; // the service stops on the pipeline's failure
        const level = err instanceof CloudTrailAccessError ? 'error' : 'warn';
        this.o.logger[level]({ target: p.key, err: (err as Error).message }, 'CloudTrail poll failed; retrying on the next interval');
      }
      await this.sleep(this.o.pollIntervalMs, signal).catch(() => undefined);
    }
  }

  private onProgress(key: string, p: WindowProgress): void {
    this.progress.set(key, p);
    if (!this.o.onProgress) return;
    let coveredMs = 0;
    let totalMs = 0;
    for (const v of this.progress.values()) {
      coveredMs += v.coveredMs;
      totalMs += v.totalMs;
    }
    this.o.onProgress({ coveredMs, totalMs, targets: Object.fromEntries(this.progress) });
  }
}
