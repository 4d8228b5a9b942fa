import { toIso, toMs } from '../questions/common';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The relative ranges the picker offers; each ends at "now". */
export const RANGE_PRESETS = ['1h', '6h', '24h', '7d', '30d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_MS: Record<RangePreset, number> = {
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
};

export const PRESET_LABELS: Record<RangePreset, string> = {
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

/**
 * What the user chose, before it meets a clock. Query keys hold this (not resolved
 * times), so a relative range keeps one cache entry that each refetch re-resolves
 * against the current time, and the server's prefetch hydrates the client's query.
 */
export type RangeSpec = { kind: 'preset'; preset: RangePreset } | { kind: 'absolute'; from: string; to: string };

/** A range on the clock: `now` is the instant SLO status and ingest lag are measured at. */
export type ResolvedRange = { from: string; to: string; now: string };

/**
 * A preset ends at `nowMs`. An absolute range is a look back in time, so its SLO status
 * and lag are measured at its end: a shared link shows the same numbers tomorrow.
 */
export function resolveRange(spec: RangeSpec, nowMs: number): ResolvedRange {
  if (spec.kind === 'absolute') return { from: spec.from, to: spec.to, now: spec.to };
  return { from: toIso(nowMs - PRESET_MS[spec.preset]), to: toIso(nowMs), now: toIso(nowMs) };
}

/** Milliseconds the range spans (for tick formats); NaN-safe for absolute ranges that failed validation. */
export function rangeSpanMs(spec: RangeSpec): number {
  if (spec.kind === 'preset') return PRESET_MS[spec.preset];
  const span = toMs(spec.to) - toMs(spec.from);
  return Number.isFinite(span) && span > 0 ? span : DAY_MS;
}
