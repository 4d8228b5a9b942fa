/**
 * Times from outside are bounded at the edge (DESIGN.md, "The model"). A clock ahead of
 * ours, or a forged date, must not become the newest event, an index name or a lag; and a
 * live source is no way to load years of history. So a record whose time is:
 * - more than `futureSkewMs` ahead of the server clock is refused, from any source;
 * - older than `liveRetentionMs` is refused from live sources (intake, LookupEvents, the
 *   trail watcher): `import` is the way to load history;
 * - before 2010 is refused by `import` too: no KMS audit record is that old.
 */
export type TimeBounds = { futureSkewMs: number; liveRetentionMs: number };
export type TimeMode = 'live' | 'import';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
export const DEFAULT_TIME_BOUNDS: TimeBounds = { futureSkewMs: 5 * MIN, liveRetentionMs: 400 * DAY };
export const IMPORT_FLOOR_MS = Date.UTC(2010, 0, 1);

function span(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 2 * MIN) return `${Math.round(abs / 1000)} s`;
  if (abs < 2 * 60 * MIN) return `${Math.round(abs / MIN)} min`;
  if (abs < 2 * DAY) return `${Math.round(abs / (60 * MIN))} h`;
  if (abs < 730 * DAY) return `${Math.round(abs / DAY)} days`;
  return `${(abs / (365.25 * DAY)).toFixed(1)} years`;
}

/** Why a record's time is refused, or null when it is within bounds. `iso` is a time the model already accepted. */
export function timeProblem(field: string, iso: string, nowMs: number, mode: TimeMode, bounds: TimeBounds = DEFAULT_TIME_BOUNDS): string | null {
  const t = Date.parse(iso);
  if (t - nowMs > bounds.futureSkewMs) {
    return `${field} ${iso} is ${span(t - nowMs)} ahead of the server clock (at most ${span(bounds.futureSkewMs)} allowed; KEYSCOPE_MAX_FUTURE_SKEW_SECONDS)`;
  }
  if (mode === 'live' && nowMs - t > bounds.liveRetentionMs) {
    return `${field} ${iso} is older than live sources accept (${span(bounds.liveRetentionMs)}; KEYSCOPE_LIVE_RETENTION_DAYS): load history with \`ingest import\``;
  }
  if (t < IMPORT_FLOOR_MS) return `${field} ${iso} is before 2010-01-01, older than any KMS audit record`;
  return null;
}
