import { formatDuration } from './format';

/** How far behind a source may be before it is worth a look, and before it is a problem. */
export const LAG_WARN_MS = 5 * 60_000;
export const LAG_BAD_MS = 60 * 60_000;

/** Below a second ahead is the time between a record's stamp and the query, not a wrong clock. */
export const AHEAD_TOLERANCE_MS = 1000;

export type LagStatus = { level: 'ok' | 'warn' | 'bad' | 'ahead'; text: string };

/**
 * A source's lag in words and its level. A negative lag means the newest stored event is
 * dated after the store's clock: a sender's clock (or ours) is wrong. From a second ahead on
 * that is never "ok", whatever the size: the newest event no longer says how current the source is.
 */
export function lagStatus(lagMs: number): LagStatus {
  if (lagMs <= -AHEAD_TOLERANCE_MS) return { level: 'ahead', text: `clock ahead ${formatDuration(-lagMs)}` };
  const text = formatDuration(Math.max(0, lagMs));
  if (lagMs > LAG_BAD_MS) return { level: 'bad', text };
  if (lagMs > LAG_WARN_MS) return { level: 'warn', text };
  return { level: 'ok', text };
}
