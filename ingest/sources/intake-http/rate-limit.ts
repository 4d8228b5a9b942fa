/**
 * Requests per second per emitter token: a token bucket of `burst` requests refilled at
 * `perSecond`. Beyond it the intake answers 429 with how long until the next request fits.
 */
export class TokenRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly o: { perSecond: number; burst: number; now?: () => number }) {}

  /** Takes one request for `key`: 0 when it may go, else the seconds to wait (at least 1). */
  take(key: string): number {
    const now = (this.o.now ?? Date.now)();
    const b = this.buckets.get(key) ?? { tokens: this.o.burst, atMs: now };
    b.tokens = Math.min(this.o.burst, b.tokens + ((now - b.atMs) / 1000) * this.o.perSecond);
    b.atMs = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.o.perSecond));
  }
}
