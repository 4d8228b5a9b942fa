/** Peak resident memory while a phase runs, sampled (process-wide maxRSS never goes down between phases). */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | null = null;

  start(intervalMs = 50): void {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage.rss())), intervalMs);
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Math.max(this.peak, process.memoryUsage.rss());
  }
}
