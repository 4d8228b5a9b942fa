import type { Clock } from '../../clock';
import type { SeededRandom } from '../../random';
import { kmsErrors } from './kms-errors';

/**
 * Injected faults for the local KMS: added latency, throttling and outages, set at run
 * time or for windows of clock time. Every draw uses the seeded random, so a scenario
 * with a given seed fails the same calls every run.
 */

export interface LatencyFault {
  /** Fixed part every call pays (network round trip). */
  floorMs?: number;
  /** Log-normal part: median and shape (sigma of the underlying normal). */
  medianMs: number;
  sigma: number;
}

export interface ThrottleFault {
  /** Each call is throttled with this probability. */
  probability?: number;
  /** Token bucket: calls above this sustained rate are throttled (KMS's request quotas). */
  ratePerSec?: number;
  /** Bucket size; defaults to one second's worth of `ratePerSec`. */
  burst?: number;
}

export interface OutageFault {
  /** `internal`: KMSInternalException; `timeout`: DependencyTimeoutException after `timeoutMs`. */
  mode: 'internal' | 'timeout';
  timeoutMs?: number;
  /** Share of calls that fail during the outage (1 = hard outage). */
  probability?: number;
}

export interface FaultConfig {
  latency?: LatencyFault;
  throttle?: ThrottleFault;
  outage?: OutageFault;
  /** Restrict to these event names (e.g. only Decrypt); all operations when absent. */
  operations?: readonly string[];
}

/** Faults that hold for clock time [fromMs, toMs), layered over the base configuration. */
export interface FaultWindow {
  fromMs: number;
  toMs: number;
  faults: FaultConfig;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

interface Bucket {
  rate: number;
  burst: number;
  tokens: number;
  atMs: number;
}

export class FaultInjector {
  private base: FaultConfig = {};
  private windows: FaultWindow[] = [];
  private bucket: Bucket | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly random: SeededRandom,
  ) {}

  set(config: FaultConfig): void {
    this.base = config;
  }

  addWindow(window: FaultWindow): void {
    if (!(window.toMs > window.fromMs)) throw new Error('fault window must end after it starts');
    this.windows.push(window);
  }

  clear(): void {
    this.base = {};
    this.windows = [];
    this.bucket = undefined;
  }

  /** The faults in force for `operation` at `nowMs`: base, then active windows in order, field by field. */
  effective(nowMs: number, operation: string): Omit<FaultConfig, 'operations'> {
    const layers = [this.base, ...this.windows.filter((w) => nowMs >= w.fromMs && nowMs < w.toMs).map((w) => w.faults)];
    const out: Omit<FaultConfig, 'operations'> = {};
    for (const l of layers) {
      if (l.operations && !l.operations.includes(operation)) continue;
      if (l.latency) out.latency = l.latency;
      if (l.throttle) out.throttle = l.throttle;
      if (l.outage) out.outage = l.outage;
    }
    return out;
  }

  /** Runs before a call: sleeps the injected latency, or throws the injected failure. */
  async apply(operation: string): Promise<void> {
    const now = this.clock.now();
    const f = this.effective(now, operation);
    if (f.outage && this.random.chance(f.outage.probability ?? 1)) {
      if (f.outage.mode === 'timeout') {
        await this.clock.sleep(f.outage.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        throw kmsErrors.timeout();
      }
      await this.sleepLatency(f.latency);
      throw kmsErrors.internal();
    }
    if (f.throttle && this.throttled(f.throttle, now)) {
      // A throttled request is rejected at the front door: it pays only the floor.
      if (f.latency?.floorMs) await this.clock.sleep(f.latency.floorMs);
      throw kmsErrors.throttled();
    }
    await this.sleepLatency(f.latency);
  }

  private async sleepLatency(l: LatencyFault | undefined): Promise<void> {
    if (!l) return;
    const ms = (l.floorMs ?? 0) + (l.medianMs > 0 ? this.random.logNormal(l.medianMs, l.sigma) : 0);
    if (ms > 0) await this.clock.sleep(ms);
  }

  private throttled(t: ThrottleFault, nowMs: number): boolean {
    if (t.ratePerSec !== undefined && t.ratePerSec > 0) {
      const burst = t.burst ?? Math.max(1, t.ratePerSec);
      let b = this.bucket;
      if (!b || b.rate !== t.ratePerSec || b.burst !== burst) b = this.bucket = { rate: t.ratePerSec, burst, tokens: burst, atMs: nowMs };
      b.tokens = Math.min(b.burst, b.tokens + (Math.max(0, nowMs - b.atMs) / 1000) * b.rate);
      b.atMs = nowMs;
      if (b.tokens < 1) return true;
      b.tokens -= 1;
    }
    return t.probability !== undefined && t.probability > 0 && this.random.chance(t.probability);
  }
}
