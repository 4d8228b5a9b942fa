/**
 * Time source for the engine, the local KMS and the trail writer.
 *
 * Traffic generation runs either in real time or on a simulated clock, so that days of
 * history can be produced in seconds: every component reads time only through a Clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms` of this clock's time (a simulated clock advances instead of waiting). */
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock that only moves when told to. Operations scheduled by the traffic generator
 * set it to their start time; injected latency advances it.
 */
export class SimulatedClock implements Clock {
  private t: number;

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  set(ms: number): void {
    this.t = ms;
  }

  advance(ms: number): void {
    this.t += Math.max(0, ms);
  }

  sleep(ms: number): Promise<void> {
    this.advance(ms);
    return Promise.resolve();
  }
}
