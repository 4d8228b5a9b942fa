import { realSleep, type Sleep } from './sleep';

export type TokenBucketOptions = {
  /** The highest rate granted (requests/s); LookupEvents allows 2 per account and region. */
  maxPerSecond: number;
  /** The lowest rate throttling can push it down to. */
  minPerSecond?: number;
  now?: () => number;
  sleep?: Sleep;
};

/**
 * A token bucket of capacity 1: grants are at least 1/rate apart, measured from the
 * moment each was granted (a late timer never lets two through together). A capacity
 * above 1 would allow bursts that a per-second limit counts against us. RateLimiter
 * adds the guard for requests that arrive later than they were granted.
 *
 * Adaptive (AIMD): a throttle halves the rate, every success adds back 5% of the maximum,
 * so a limit lower than we thought (another client on the same account and region) is
 * found within a few requests and the rate climbs back when it goes away.
 */
export class TokenBucket {
  private tokens = 1;
  private last: number;
  private rate: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly min: number;

  constructor(private readonly o: TokenBucketOptions) {
    if (!(o.maxPerSecond > 0)) throw new RangeError('maxPerSecond must be positive');
    this.now = o.now ?? (() => performance.now());
    this.sleep = o.sleep ?? realSleep;
    this.rate = o.maxPerSecond;
    this.min = Math.min(o.minPerSecond ?? 0.05, o.maxPerSecond);
    this.last = this.now();
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Resolves when a request may go; callers are served in order. Rejects when `signal` aborts. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  onThrottle(): void {
    this.rate = Math.max(this.min, this.rate / 2);
  }

  onSuccess(): void {
    this.rate = Math.min(this.o.maxPerSecond, this.rate + this.o.maxPerSecond * 0.05);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(1, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.refill();
      // The epsilon absorbs float error only (nanoseconds), never a real early grant.
      if (this.tokens >= 1 - 1e-9) {
        this.tokens = 0;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000), signal);
    }
  }
}
