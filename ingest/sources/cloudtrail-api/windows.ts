/** LookupEvents returns the last 90 days of management events. */
export const LOOKUP_RETENTION_MS = 90 * 24 * 3600_000;

export type TimeWindow = { start: number; end: number };

export type PlanInput = {
  now: number;
  /** End of the last window read to completion, or null on a first run. */
  through: number | null;
  overlapMs: number;
  backfillMs: number;
  /** Longest window; a long back-fill is cut so that an expired NextToken costs one window, not 90 days. */
  chunkMs: number;
};

/**
 * The windows a poll reads, oldest first, ending at `now`. A first run starts `backfillMs`
 * ago; later runs start `overlapMs` before the last window's end, so that events which
 * became visible after that window was read (late deliveries) are read on this one.
 * Nothing starts before LookupEvents' retention.
 */
export function planWindows(p: PlanInput): TimeWindow[] {
  const floor = p.now - LOOKUP_RETENTION_MS;
  let start = p.through === null ? p.now - p.backfillMs : p.through - p.overlapMs;
  start = Math.max(start, floor);
  if (start >= p.now) return [];
  const out: TimeWindow[] = [];
  const chunk = Math.max(1000, p.chunkMs);
  for (let s = start; s < p.now; s += chunk) out.push({ start: s, end: Math.min(p.now, s + chunk) });
  return out;
}
