import type { Clock } from '../clock';

/**
 * Real time, shifted to start at `startMs` and sped up by `speed`: a live run of
 * `--speed 60` shows an hour of traffic per real minute, with real waits in between.
 */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();

  constructor(
    private readonly startMs: number,
    private readonly speed: number,
  ) {}

  now(): number {
    return this.startMs + (Date.now() - this.realStart) * this.speed;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / this.speed)));
  }

  /** Real milliseconds until this clock reads `t`. */
  realDelayUntil(t: number): number {
    return Math.max(0, (t - this.now()) / this.speed);
  }
}
