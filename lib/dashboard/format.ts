/**
 * How numbers and times read on the dashboard. Pure and locale-independent (UTC, fixed
 * separators) so the server's HTML and the browser's render agree, and the browser tests
 * can format the store's answers the same way to compare them with the page.
 */
import { kekLabel } from '../model/kek-ref';

const DASH = '—';

/** A ratio as a percentage; enough digits to tell 99.95% from 99.9%. */
export function formatPercent(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** Latency: whole ms from 100 up, one decimal below (cache hits are sub-millisecond). */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return ms >= 100 ? `${Math.round(ms).toLocaleString('en-US')} ms` : `${ms.toFixed(1)} ms`;
}

/** A burn rate as a multiple of the sustainable rate. */
export function formatBurnRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return DASH;
  return rate >= 100 ? `${Math.round(rate)}×` : `${rate.toFixed(1)}×`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return Math.round(n).toLocaleString('en-US');
}

const pad = (n: number): string => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A chart tick: time of day for ranges up to two days, date and time beyond. */
export function formatTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (spanMs <= 2 * 86_400_000) return hm;
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${hm}`;
}

/** A full UTC timestamp to the minute, for tooltips and range labels; without the zone where a column header names it. */
export function formatUtc(ms: number | string, withZone = true): string {
  const d = new Date(typeof ms === 'string' ? Date.parse(ms) : ms);
  if (Number.isNaN(d.getTime())) return DASH;
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withZone ? `${text} UTC` : text;
}

/** A lag or age: the largest unit and the next ("3 h 12 min", "45 s"). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  const sign = ms < 0 ? '-' : '';
  const s = Math.round(Math.abs(ms) / 1000);
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];
  const i = units.findIndex(([, size]) => s >= size);
  if (i < 0) return '0 s';
  const [name, size] = units[i]!;
  const head = `${sign}${Math.floor(s / size)} ${name}`;
  const next = units[i + 1];
  if (next === undefined) return head;
  const rest = Math.floor((s % size) / next[1]);
  return rest > 0 ? `${head} ${rest} ${next[0]}` : head;
}

/** A bucket width in words, for chart subtitles ("5-minute buckets"). */
export function formatBucket(bucketMs: number): string {
  const min = bucketMs / 60_000;
  if (min < 60) return `${min}-minute buckets`;
  if (min < 1440) return `${min / 60}-hour buckets`;
  return `${min / 1440}-day buckets`;
}

/** A KEK ARN shortened to its key id or alias name (the part users recognise); other ids as they are. */
export function shortKek(kekId: string): string {
  return kekLabel(kekId);
}

/**
 * A value short enough for a narrow list: an ARN's resource part ("role/app", "key/…"),
 * where the partition, account and Region it drops are usually alike (the full ARN goes in the title).
 */
export function shortValue(value: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(value);
  return m ? m[1]! : value;
}
