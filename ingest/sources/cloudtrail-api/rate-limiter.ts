import { realSleep, type Sleep } from './sleep';
import { TokenBucket } from './token-bucket';

export type RateLimiterOptions = {
  /** Token bucket rate (requests/s): the steady pace. */
  maxPerSecond: number;
  /** The API's hard limit: at most this many requests in any `windowMs` (LookupEvents: 2 per second). */
  windowLimit?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: Sleep;
};

/**
 * The per-target limiter: a token bucket for the pace, and a window guard for the limit
 * as the server counts it. The bucket times a request from when it was granted, but the
 * server sees it when it arrives, which can be later (a new connection, a busy event
 * loop), so two requests can land closer than they left. The guard therefore counts a
 * request until it has *completed* (its arrival is somewhere before that): a request
 * may go only while fewer than `windowLimit` requests are in flight or completed within
 * the last `windowMs`. Then no window of the server's can hold more than `windowLimit`
 * arrivals, whatever the latency. On a fast link it costs nothing (the bucket is
 * slower); on a slow one it trades some pace for never being throttled.
 */
export class RateLimiter {
  private readonly bucket: TokenBucket;
  private readonly completions: number[] = [];
  private inFlight = 0;
  private released: Array<() => void> = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(o: RateLimiterOptions) {
    this.now = o.now ?? (() => performance.now());
    this.sleep = o.sleep ?? realSleep;
    this.bucket = new TokenBucket({ maxPerSecond: o.maxPerSecond, now: this.now, sleep: this.sleep });
    this.limit = Math.max(1, Math.floor(o.windowLimit ?? 2));
    this.windowMs = o.windowMs ?? 1000;
  }

  get ratePerSecond(): number {
    return this.bucket.ratePerSecond;
  }

  onThrottle(): void {
    this.bucket.onThrottle();
  }

  onSuccess(): void {
    this.bucket.onSuccess();
  }

  /** Waits for a turn; call the returned function when the request has completed (answered or failed). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.queue.then(() => this.grant(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async grant(signal?: AbortSignal): Promise<() => void> {
    await this.windowRoom(signal);
    await this.bucket.take(signal);
    // The bucket's wait only let time pass: completions age out, never in; the window still has room.
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      this.completions.push(this.now());
      if (this.completions.length > this.limit) this.completions.shift();
      const ws = this.released;
      this.released = [];
      for (const w of ws) w();
    };
  }

  private async windowRoom(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const t = this.now();
      const recent = this.completions.filter((c) => c > t - this.windowMs);
      if (this.inFlight + recent.length < this.limit) return;
      if (recent.length > 0 && this.inFlight + recent.length - 1 < this.limit) {
        // Room once the oldest recent completion leaves the window (+1 ms: the window is half-open).
        await this.sleep(recent[0]! + this.windowMs - t + 1, signal);
      } else {
        await this.waitForRelease(signal);
      }
    }
  }

  private waitForRelease(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal!.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.released.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}
