import { HOUR_MS, MINUTE_MS, ROLLUP_TABLES } from '../rollups';

export type Segment = { table: string; fromMs: number; toMs: number };

/**
 * Splits a whole-minute range into rollup reads: whole hours from the hourly table, the
 * minutes before the first and after the last whole hour from the per-minute table. A
 * 30-day window then reads about 720 hourly rows per series plus at most 118 minute rows.
 */
export function planSegments(fromMs: number, toMs: number): Segment[] {
  if (fromMs % MINUTE_MS !== 0 || toMs % MINUTE_MS !== 0) throw new Error('rollup ranges must be whole minutes');
  const firstHour = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  if (firstHour >= lastHour) return toMs > fromMs ? [{ table: ROLLUP_TABLES.minute, fromMs, toMs }] : [];
  const out: Segment[] = [];
  if (fromMs < firstHour) out.push({ table: ROLLUP_TABLES.minute, fromMs, toMs: firstHour });
  out.push({ table: ROLLUP_TABLES.hour, fromMs: firstHour, toMs: lastHour });
  if (lastHour < toMs) out.push({ table: ROLLUP_TABLES.minute, fromMs: lastHour, toMs });
  return out;
}
