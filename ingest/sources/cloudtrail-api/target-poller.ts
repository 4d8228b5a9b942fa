import type { LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { Logger } from 'pino';
import type { TimeBounds } from '../../../lib/model/time-window';
import type { Store } from '../../../lib/store/types';
import type { Pipeline } from '../../pipeline/pipeline';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { readCheckpoint, toCheckpoint, type ApiCheckpoint } from './checkpoint';
import type { LookupEventsApi, PageRequest } from './client';
import { accessError, classifyFailure, CloudTrailApiError } from './errors';
import { parseLookupEvents } from './parse-events';
import { SeenIds } from './seen-ids';
import type { Sleep } from './sleep';
import { CLOUDTRAIL_API_SOURCE, type ApiTarget } from './target';
import type { RateLimiter } from './rate-limiter';
import { planWindows, type TimeWindow } from './windows';

export type TargetPollerOptions = {
  target: ApiTarget;
  api: LookupEventsApi;
  limiter: RateLimiter;
  pipeline: Pipeline;
  store: Pick<Store, 'getCheckpoint'>;
  overlapMs: number;
  backfillMs: number;
  chunkMs: number;
  /** Attempts per page before the poll gives up (the next poll resumes from the checkpoint). */
  maxAttempts: number;
  backoff?: BackoffOptions;
  /** Bounds on record times; LookupEvents is a live source (lib/model/time-window.ts). */
  timeBounds?: TimeBounds;
  /** Stops the poll: the page in flight is abandoned, nothing more is submitted. */
  signal: AbortSignal;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  logger: Logger;
  onProgress?: (key: string, progress: WindowProgress) => void;
};

/** How much of a poll's time range has been read (ms of event time). */
export type WindowProgress = { coveredMs: number; totalMs: number };

export type TargetStats = {
  target: string;
  /** LookupEvents calls sent, retries included. */
  requests: number;
  pages: number;
  /** Events the API returned. */
  events: number;
  /** Events skipped because this poller had stored them on an earlier poll (the overlap). */
  skippedSeen: number;
  auditEvents: number;
  deadLetters: number;
  notKms: number;
  throttled: number;
  serverErrors: number;
  retries: number;
  /** Windows restarted from their first page after InvalidNextTokenException. */
  tokenRestarts: number;
  polls: number;
  /** End of the last window read to completion (what the checkpoint says once committed). */
  through: string | null;
  ratePerSecond: number;
};

class InvalidToken extends Error {}

const MAX_TOKEN_RESTARTS = 3;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Polls LookupEvents for one target (profile + region). Each poll resumes the window a
 * crash interrupted (its NextToken is in the checkpoint), then reads the planned windows
 * oldest first, each newest event first, page by page. Every page goes to the pipeline
 * with the checkpoint it completes, so the store commits the page's events and the
 * advanced checkpoint in one transaction, and a restart resumes after the last page the
 * store acknowledged. A poll ends when its last page is committed.
 */
export class TargetPoller {
  readonly stats: TargetStats;
  private readonly seen = new SeenIds();
  private lastCommitted: Promise<void> = Promise.resolve();
  /** Ids of events at or after this time are remembered for the next poll's overlap. */
  private rememberFrom = Number.POSITIVE_INFINITY;
  private progress: WindowProgress = { coveredMs: 0, totalMs: 0 };

  constructor(private readonly o: TargetPollerOptions) {
    this.stats = {
      target: o.target.key, requests: 0, pages: 0, events: 0, skippedSeen: 0, auditEvents: 0, deadLetters: 0, notKms: 0,
      throttled: 0, serverErrors: 0, retries: 0, tokenRestarts: 0, polls: 0, through: null, ratePerSecond: o.limiter.ratePerSecond,
    };
  }

  get key(): string {
    return this.o.target.key;
  }

  /** One poll. Resolves 'stopped' when the signal aborted it, 'done' once everything it submitted is committed. */
  async pollOnce(): Promise<'done' | 'stopped'> {
    // Only what the store acknowledged counts: the previous poll's last page first.
    await this.lastCommitted;
    let cp = readCheckpoint(await this.o.store.getCheckpoint(CLOUDTRAIL_API_SOURCE, this.key));
    this.stats.through = cp.through;
    const now = this.o.now();
    const resumed = cp.window;
    const through = resumed !== null ? Date.parse(resumed.end) : cp.through === null ? null : Date.parse(cp.through);
    const windows = planWindows({ now, through, overlapMs: this.o.overlapMs, backfillMs: this.o.backfillMs, chunkMs: this.o.chunkMs });
    this.seen.prune(windows[0]?.start ?? now);
    this.rememberFrom = now - this.o.overlapMs;
    const resumedWindow = resumed === null ? null : { start: Date.parse(resumed.start), end: Date.parse(resumed.end) };
    const all = resumedWindow === null ? windows : [resumedWindow, ...windows];
    this.progress = { coveredMs: 0, totalMs: all.reduce((n, w) => n + (w.end - w.start), 0) };
    this.report();
    this.stats.polls++;

    if (resumed !== null && resumedWindow !== null) {
      this.o.logger.info({ target: this.key, window: resumed }, 'resuming an interrupted CloudTrail window');
      const r = await this.readWindow(resumedWindow, resumed.nextToken, cp);
      if (r === 'stopped') return 'stopped';
      cp = r;
    }
    for (const w of windows) {
      const r = await this.readWindow(w, null, cp);
      if (r === 'stopped') return 'stopped';
      cp = r;
    }
    await this.lastCommitted;
    this.stats.through = cp.through;
    return 'done';
  }

  /** Start-up check: one smallest call, so missing credentials or permissions fail before the service runs. */
  async probe(): Promise<void> {
    const now = this.o.now();
    await this.fetch({ start: new Date(now - 60_000), end: new Date(now), nextToken: null, maxResults: 1 });
  }

  /** Reads one window to its last page; returns the checkpoint as submitted with that page. */
  private async readWindow(w: TimeWindow, firstToken: string | null, cp: ApiCheckpoint): Promise<ApiCheckpoint | 'stopped'> {
    const base = this.progress.coveredMs;
    let token = firstToken;
    let restarts = 0;
    for (;;) {
      let page: LookupEventsCommandOutput | null;
      try {
        page = await this.fetch({ start: new Date(w.start), end: new Date(w.end), nextToken: token });
      } catch (err) {
        if (!(err instanceof InvalidToken) || restarts >= MAX_TOKEN_RESTARTS) throw err;
        // Tokens expire, and one from before a crash may be too old: read the window again from its top (ids dedupe).
        restarts++;
        this.stats.tokenRestarts++;
        this.o.logger.warn({ target: this.key, window: { start: iso(w.start), end: iso(w.end) } }, 'NextToken refused; reading the window again');
        token = null;
        continue;
      }
      if (page === null) return 'stopped';
      const next = page.NextToken ? page.NextToken : null;
      cp = await this.submitPage(page, w, next, cp);
      const oldest = page.Events?.reduce((m, e) => Math.min(m, e.EventTime?.getTime() ?? m), w.end) ?? w.end;
      this.progress.coveredMs = base + (next === null ? w.end - w.start : Math.max(0, w.end - Math.max(oldest, w.start)));
      this.report();
      if (next === null) {
        // The next window may overlap this one: what this one stored is known before it is read.
        await this.lastCommitted;
        return cp;
      }
      token = next;
    }
  }

  private async submitPage(page: LookupEventsCommandOutput, w: TimeWindow, next: string | null, cp: ApiCheckpoint): Promise<ApiCheckpoint> {
    const events = page.Events ?? [];
    const parsed = parseLookupEvents(events, this.key, new Date(this.o.now()), this.o.timeBounds);
    const fresh = parsed.auditEvents.filter((e) => !this.seen.has(e.id));
    const s = this.stats;
    s.pages++;
    s.events += events.length;
    s.skippedSeen += parsed.auditEvents.length - fresh.length;
    s.auditEvents += fresh.length;
    s.deadLetters += parsed.deadLetters.length;
    s.notKms += parsed.notKms;
    const counts = { pages: cp.pages + 1, events: cp.events + events.length };
    const nextCp: ApiCheckpoint =
      next === null
        ? { ...counts, through: cp.through === null || Date.parse(cp.through) < w.end ? iso(w.end) : cp.through, window: null }
        : { ...counts, through: cp.through, window: { start: iso(w.start), end: iso(w.end), nextToken: next } };
    const unit = { auditEvents: fresh, deadLetters: parsed.deadLetters, checkpoints: [toCheckpoint(this.key, nextCp)] };
    const receipt = await this.o.pipeline.submit(unit, { urgent: next === null });
    const remember = fresh.filter((e) => Date.parse(e.time) >= this.rememberFrom);
    // Remembered only once stored: an id skipped on the next poll must be in the store.
    this.lastCommitted = receipt.committed.then(() => {
      for (const e of remember) this.seen.add(e.id, Date.parse(e.time));
    });
    this.lastCommitted.catch(() => undefined);
    return nextCp;
  }

  /** One page with retries: throttles and 5xx back off (throttles also slow the limiter); null when stopped. */
  private async fetch(req: PageRequest): Promise<LookupEventsCommandOutput | null> {
    const { signal, limiter, logger } = this.o;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return null;
      this.stats.requests++;
      try {
        const out = await this.o.api.lookupPage(req, signal);
        limiter.onSuccess();
        this.stats.ratePerSecond = limiter.ratePerSecond;
        return out;
      } catch (err) {
        if (signal.aborted) return null;
        const kind = classifyFailure(err);
        const name = (err as Error).name;
        if (kind === 'throttled') {
          this.stats.throttled++;
          limiter.onThrottle();
          this.stats.ratePerSecond = limiter.ratePerSecond;
        } else if (kind === 'transient') {
          this.stats.serverErrors++;
        } else if (kind === 'invalid-token') {
          throw new InvalidToken(name);
        } else if (kind === 'other') {
          throw new CloudTrailApiError(`CloudTrail target ${this.key}: LookupEvents failed: ${name}: ${(err as Error).message}`, { cause: err });
        } else {
          throw accessError(kind, this.key, this.o.target.profile, err);
        }
        if (attempt >= this.o.maxAttempts) {
          throw new CloudTrailApiError(`CloudTrail target ${this.key}: LookupEvents failed ${attempt} times, last: ${name}: ${(err as Error).message}`, { cause: err });
        }
        const delayMs = backoffDelay(attempt, this.o.random, this.o.backoff ?? DEFAULT_BACKOFF);
        this.stats.retries++;
        logger.warn({ target: this.key, attempt, delayMs, err: name, ratePerSecond: limiter.ratePerSecond }, 'LookupEvents failed; backing off');
        try {
          await this.o.sleep(delayMs, signal);
        } catch {
          return null;
        }
      }
    }
  }

  private report(): void {
    this.o.onProgress?.(this.key, { ...this.progress });
  }
}
