import path from 'node:path';

/**
 * Where CloudTrail puts a delivered log file:
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alnum>.json.gz`.
 * The log-file source lists and parses the same tree, so both ends share these helpers.
 */

export const TRAIL_FILE_NAME_RE = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_([A-Za-z0-9]{16})\.json\.gz$/;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 alphanumerics from a [0,1) source (seeded for reproducible trees). */
export function uniqueSuffix(next: () => number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += ALNUM[Math.floor(next() * ALNUM.length)];
  return s;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Relative path (posix separators) of a log file delivered at `deliveredAtMs`. */
export function trailObjectKey(accountId: string, region: string, deliveredAtMs: number, suffix: string): string {
  const d = new Date(deliveredAtMs);
  const yyyy = pad(d.getUTCFullYear(), 4);
  const mm = pad(d.getUTCMonth() + 1);
  const dd = pad(d.getUTCDate());
  const stamp = `${yyyy}${mm}${dd}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  const name = `${accountId}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`;
  return path.posix.join('AWSLogs', accountId, 'CloudTrail', region, yyyy, mm, dd, name);
}

export interface ParsedTrailFileName {
  accountId: string;
  region: string;
  /** Delivery time, minute precision, ms since the epoch. */
  deliveredAtMs: number;
}

export function parseTrailFileName(fileName: string): ParsedTrailFileName | null {
  const m = TRAIL_FILE_NAME_RE.exec(fileName);
  if (!m) return null;
  const s = m[3]!;
  const ms = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13));
  return { accountId: m[1]!, region: m[2]!, deliveredAtMs: ms };
}
