/**
 * ISO-8601 dates and date-times as the query language takes them. A time without an offset
 * is UTC (the same answer in every browser and on the server). A date alone stands for its
 * whole UTC day, which build.ts turns into bounds.
 */
export type ParsedDate = { ms: number; dateOnly: boolean };

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const DAY_MS = 86_400_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, mo: number): number => (mo === 2 && isLeap(y) ? 29 : (MONTH_DAYS[mo - 1] as number));

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

export function parseDate(text: string): ParsedDate | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  if (m[4] === undefined) return inRange({ ms: utcMs(y, mo, d, 0, 0, 0, 0), dateOnly: true });
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return inRange({ ms: utcMs(y, mo, d, h, mi, s, ms) - offset, dateOnly: false });
}

// Four-digit years only, with room for a date's next day: ISO strings and Elasticsearch's strict format need them.
const MIN_MS = utcMs(0, 1, 1, 0, 0, 0, 0);
const MAX_MS = utcMs(9999, 12, 31, 0, 0, 0, 0);
const inRange = (d: ParsedDate): ParsedDate | null => (d.ms >= MIN_MS && d.ms < MAX_MS ? d : null);

export const nextDay = (ms: number): number => ms + DAY_MS;
export const isoOf = (ms: number): string => new Date(ms).toISOString();
