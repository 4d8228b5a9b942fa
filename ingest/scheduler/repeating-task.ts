/**
 * A task run now (or after `firstDelayMs`), then `intervalMs` after each run ends, until
 * stopped: what the ingest service's schedulers share. A run that fails does not stop the
 * loop; `onOutcome` hears of every run. `stop()` resolves once a run in progress ends.
 */
export class RepeatingTask<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(
    private readonly o: {
      run: () => Promise<T>;
      intervalMs: number;
      onOutcome: (outcome: { value: T } | { error: Error }) => void;
      /** Let the process exit while only this timer is pending (housekeeping, not work). */
      unref?: boolean;
    },
  ) {}

  start(firstDelayMs = 0): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.o
        .run()
        .then(
          (value) => this.o.onOutcome({ value }),
          (err: unknown) => this.o.onOutcome({ error: err as Error }),
        )
        .finally(() => {
          this.running = null;
          this.schedule(this.o.intervalMs);
        });
    }, delayMs);
    if (this.o.unref) this.timer.unref();
  }
}
