import { join, sep } from 'node:path';
import type { Checkpoint, CheckpointValue } from '../../../lib/store/types';
import { trailKey, type TrailPrefix } from './trail-path';

/**
 * When a trail's day folder is complete. CloudTrail delivers a file within about 15
 * minutes of its calls, into the folder of its UTC day; late files do happen. A day is
 * complete once it is more than `lookbackDays` whole days before today (UTC, server clock):
 * with the default of 1, today and yesterday are listed on every poll and the day before
 * is closed. A file that lands in a closed day is never read.
 */
export const DEFAULT_TRAIL_LOOKBACK_DAYS = 1;

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The latest complete day at `now`: every day up to it is closed. */
export function lastClosedDay(now: Date, lookbackDays: number): string {
  return addDays(now.toISOString().slice(0, 10), -lookbackDays - 1);
}

/** The last day wholly older than `retentionMs` before `now`: a live source refuses every record of it and before. */
export function retentionFloorDay(now: Date, retentionMs: number): string {
  return addDays(new Date(now.getTime() - retentionMs).toISOString().slice(0, 10), -1);
}

/**
 * Where the cursor may move after a poll that listed `listedDays` (every day folder after
 * `current`): to the last closed day, but not past a day that still has a file not done
 * (being written, read, unreadable for now, or not settled). Null when that closes no
 * listed day, so a cursor is written only when a day closes, and never moves back: a
 * clock set back leaves closed days closed.
 */
export function advanceCursor(current: string | null, closed: string, listedDays: readonly string[], openDays: Iterable<string>): string | null {
  let target = closed;
  for (const d of openDays) if (d <= target) target = addDays(d, -1);
  if (current !== null && target <= current) return null;
  return listedDays.some((d) => d <= target) ? target : null;
}

/**
 * The cursor is a checkpoint of the files source, keyed by the prefix's folder: every day
 * up to `through` is complete and all its files were committed. It is kept in the store,
 * not rebuilt by a walk at start: file checkpoints of closed days are pruned, so a walk
 * could no longer tell their files were read (and would read years of history again).
 */
export function cursorKey(prefixDir: string): string {
  return `cursor:${prefixDir}`;
}

export function cursorCheckpoint(source: string, prefixDir: string, prefix: TrailPrefix, through: string): Checkpoint {
  return { source, key: cursorKey(prefixDir), value: { through, trail: trailKey(prefix) } };
}

export function cursorThrough(value: CheckpointValue | null): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return typeof value.through === 'string' && DAY_RE.test(value.through) ? value.through : null;
}

/** The key prefix of the file checkpoints of one day folder (file checkpoint keys are paths). */
export function dayKeyPrefix(prefixDir: string, day: string): string {
  return join(prefixDir, ...day.split('-')) + sep;
}
