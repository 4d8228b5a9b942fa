import { isNight } from './diurnal';
import type { ScenarioName } from './options';

/** KMS behaviour for a phase of a run, in the traffic generator's own terms. */
export interface KmsConditions {
  /** Log-normal call latency: median and shape, plus a fixed floor. */
  latency: { medianMs: number; sigma: number; floorMs: number };
  /** Share of calls answered ThrottlingException. */
  throttleProbability: number;
  /** Share of calls that fail with KMSInternalException, and with a timeout. */
  internalErrorProbability: number;
  timeoutProbability: number;
  timeoutMs: number;
}

export interface Phase {
  fromMs: number;
  toMs: number;
  label: string;
  kms: KmsConditions;
}

/** What a scenario does over a run window: KMS conditions by phase, and the events in it. */
export interface ScenarioPlan {
  name: ScenarioName;
  phases: Phase[];
  /** When the KEK of every service rotates (RotateKeyOnDemand). */
  rotationAtMs: number | null;
  /** When the rewrap job starts and how many objects per second it moves. */
  rewrap: { fromMs: number; ratePerSec: number } | null;
  /** When the compromised principal bulk-decrypts, and how fast. */
  compromise: { fromMs: number; toMs: number; ratePerSec: number } | null;
}

/** Healthy regional KMS: single-digit milliseconds, a rare throttle. */
export const HEALTHY: KmsConditions = {
  latency: { medianMs: 7, sigma: 0.45, floorMs: 2 },
  throttleProbability: 0.0002,
  internalErrorProbability: 0.00005,
  timeoutProbability: 0,
  timeoutMs: 5000,
};

const OUTAGE: KmsConditions = {
  latency: { medianMs: 180, sigma: 0.8, floorMs: 20 },
  throttleProbability: 0.02,
  internalErrorProbability: 0.55,
  timeoutProbability: 0.2,
  timeoutMs: 5000,
};

const THROTTLED: KmsConditions = {
  latency: { medianMs: 25, sigma: 0.7, floorMs: 3 },
  throttleProbability: 0.35,
  internalErrorProbability: 0.0001,
  timeoutProbability: 0,
  timeoutMs: 5000,
};

export interface PlanInput {
  scenario: ScenarioName;
  startMs: number;
  durationMs: number;
  rewrapRate: number;
  /** Objects written per second on average; sizes the attack. */
  rate: number;
}

function phasesWith(startMs: number, endMs: number, badFrom: number, badTo: number, label: string, bad: KmsConditions): Phase[] {
  return [
    { fromMs: startMs, toMs: badFrom, label: 'healthy', kms: HEALTHY },
    { fromMs: badFrom, toMs: badTo, label, kms: bad },
    { fromMs: badTo, toMs: endMs, label: 'healthy', kms: HEALTHY },
  ];
}

/** The first night-time moment in [from, to), on the minute; null if the window has none. */
export function firstNight(fromMs: number, toMs: number): number | null {
  const step = 60_000;
  for (let t = Math.ceil(fromMs / step) * step; t < toMs; t += step) if (isNight(t)) return t;
  return null;
}

export function planScenario(input: PlanInput): ScenarioPlan {
  const { scenario, startMs, durationMs } = input;
  const endMs = startMs + durationMs;
  const at = (fraction: number) => Math.round(startMs + durationMs * fraction);
  const steady: Phase[] = [{ fromMs: startMs, toMs: endMs, label: 'healthy', kms: HEALTHY }];
  const base: ScenarioPlan = { name: scenario, phases: steady, rotationAtMs: null, rewrap: null, compromise: null };
  switch (scenario) {
    case 'steady':
      return base;
    case 'kms-outage':
      // An outage of about a sixth of the run, capped at 45 minutes as regional incidents go.
      return { ...base, phases: phasesWith(startMs, endMs, at(0.4), Math.min(at(0.57), at(0.4) + 45 * 60_000), 'kms-outage', OUTAGE) };
    case 'throttling':
      return { ...base, phases: phasesWith(startMs, endMs, at(0.35), at(0.6), 'throttling', THROTTLED) };
    case 'rotation':
      return { ...base, rotationAtMs: at(1 / 3), rewrap: { fromMs: at(0.5), ratePerSec: input.rewrapRate } };
    case 'compromise': {
      // Night-time if the window has a night (as attacks on quiet hours do), else late in the run.
      const from = firstNight(at(0.2), at(0.9)) ?? at(0.7);
      const length = Math.min(durationMs * 0.15, 40 * 60_000);
      return { ...base, compromise: { fromMs: from, toMs: Math.min(endMs, from + length), ratePerSec: Math.max(2, Math.min(50, input.rate)) } };
    }
  }
}

/** The phase in force at `t` (the last phase covers the run's end). */
export function phaseAt(plan: ScenarioPlan, t: number): Phase {
  return plan.phases.find((p) => t >= p.fromMs && t < p.toMs) ?? plan.phases[plan.phases.length - 1]!;
}
