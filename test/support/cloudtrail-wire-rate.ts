/**
 * Requests per second per account and region, as the wire server measures them: every
 * authenticated request's arrival time (monotonic ms), the count in the trailing second
 * (what the limit is checked against), and the highest such count seen.
 */
export class RateMeter {
  private readonly arrivals = new Map<string, number[]>();

  /** Records an arrival; returns how many requests (this one included) arrived in the second up to it. */
  record(scope: string, atMs: number): number {
    let list = this.arrivals.get(scope);
    if (!list) this.arrivals.set(scope, (list = []));
    list.push(atMs);
    let n = 0;
    for (let i = list.length - 1; i >= 0 && list[i]! > atMs - 1000; i--) n++;
    return n;
  }

  /** The most requests that arrived within any one second (a sliding window over every arrival). */
  maxPerSecond(scope: string): number {
    const list = [...(this.arrivals.get(scope) ?? [])].sort((a, b) => a - b);
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < list.length; hi++) {
      while (list[lo]! <= list[hi]! - 1000) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  requests(scope: string): number {
    return this.arrivals.get(scope)?.length ?? 0;
  }

  scopes(): string[] {
    return [...this.arrivals.keys()];
  }
}
