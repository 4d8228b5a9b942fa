/**
 * Load multiplier by time of day: a trough around 03:00 UTC and a peak around 15:00,
 * as user-facing services show. Mean over a day is 1, so `rate` stays the average.
 */
export function diurnalFactor(timeMs: number): number {
  const hour = (timeMs / 3_600_000) % 24;
  // Cosine with its minimum at 03:00; amplitude 0.6 gives peak/trough of 4:1.
  return 1 - 0.6 * Math.cos(((hour - 3) / 24) * 2 * Math.PI);
}

/** Whether a moment falls in the quiet night hours (01:00–05:00 UTC). */
export function isNight(timeMs: number): boolean {
  const hour = (timeMs / 3_600_000) % 24;
  return hour >= 1 && hour < 5;
}
