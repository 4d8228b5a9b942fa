import { formatDuration } from './format';

/** How far behind a source may be before it is worth a look, and before it is a problem. */
export const LAG_WARN_MS = 5 * 60_000;
export const LAG_BAD_MS = 60 * 60_000;

export type LagStatus = { level: 'ok' | 'warn' | 'bad' | 'ahead'; text: string };

/**
 * A source's lag in words and its level. A negative lag means the newest stored event is
 * dated after the store's clock: a sender's clock (or ours) is wrong. That is never "ok",
 * whatever the size: the newest event no longer says how current the source is.
 */
export function lagStatus(lagMs: number): LagStatus {
  if (lagMs < 0) return { level: 'ahead', text: `clock ahead ${formatDuration(-lagMs)}` };
  const text = formatDuration(lagMs);
  if (lagMs > LAG_BAD_MS) return { level: 'bad', text };
  if (lagMs > LAG_WARN_MS) return { level: 'warn', text };
  return { level: 'ok', text };
}
