import { TooManyRequestsError } from './errors';

/** Seconds a client waits before resending when too much is in flight. */
const INFLIGHT_RETRY_AFTER_S = 1;

/**
 * Decompressed bytes held across all requests being read or stored. Each request takes
 * its bytes as they inflate and gives them all back when it is answered; the request
 * whose chunk would pass the cap gets 429, so a flood cannot hold more than the cap.
 */
export class InflightBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  reserve(): Reservation {
    return new Reservation(this);
  }

  /** @internal */
  take(n: number): boolean {
    if (this.used + n > this.maxBytes) return false;
    this.used += n;
    return true;
  }

  /** @internal */
  give(n: number): void {
    this.used -= n;
  }
}

export class Reservation {
  private held = 0;

  constructor(private readonly budget: InflightBudget) {}

  take(n: number): void {
    if (!this.budget.take(n)) {
      throw new TooManyRequestsError(
        `the intake has ${this.budget.maxBytes} decompressed bytes in flight across requests (KEYSCOPE_INTAKE_MAX_INFLIGHT_BYTES); resend after Retry-After`,
        INFLIGHT_RETRY_AFTER_S,
        'KEYSCOPE_INTAKE_MAX_INFLIGHT_BYTES',
      );
    }
    this.held += n;
  }

  release(): void {
    this.budget.give(this.held);
    this.held = 0;
  }
}
