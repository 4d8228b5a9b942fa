import { sep } from 'node:path';

/**
 * Where a delivered log file sits in a trail's S3 layout:
 *   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>            (a trail of one account)
 *   AWSLogs/o-<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>    (an organization trail)
 * The path may be longer on the left (an export copied under some prefix); the last
 * `AWSLogs` segment anchors it.
 */
export type TrailLocation = { organizationId: string | null; accountId: string; region: string; day: string };

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+){1,3}-\d{1,2}$/;

/** The folders beside `CloudTrail` that hold no API calls: digests sign the logs; Insights files are another record type. */
export const SKIPPED_TRAIL_DIRS = { 'CloudTrail-Digest': 'digest', 'CloudTrail-Insight': 'insight' } as const;
export type SkippedKind = (typeof SKIPPED_TRAIL_DIRS)[keyof typeof SKIPPED_TRAIL_DIRS];

export function skippedKindOf(dirName: string): SkippedKind | null {
  return Object.hasOwn(SKIPPED_TRAIL_DIRS, dirName) ? SKIPPED_TRAIL_DIRS[dirName as keyof typeof SKIPPED_TRAIL_DIRS] : null;
}

/** The account, Region and day of a log file from its path; null when the path is not in the trail layout. */
export function trailLocation(path: string): TrailLocation | null {
  const parts = path.split(sep === '/' ? '/' : /[\\/]/);
  const at = parts.lastIndexOf('AWSLogs');
  if (at < 0) return null;
  let i = at + 1;
  let organizationId: string | null = null;
  if (ORG.test(parts[i] ?? '')) organizationId = parts[i++]!;
  const [accountId, service, region, yyyy, mm, dd] = parts.slice(i, i + 6);
  if (accountId === undefined || !ACCOUNT.test(accountId) || service !== 'CloudTrail' || region === undefined || !REGION.test(region)) return null;
  const day = /^\d{4}$/.test(yyyy ?? '') && /^\d{2}$/.test(mm ?? '') && /^\d{2}$/.test(dd ?? '') ? `${yyyy}-${mm}-${dd}` : '';
  if (day === '') return null;
  return { organizationId, accountId, region, day };
}

/** `o-abc/111122223333/us-east-1`, or `111122223333/us-east-1` outside an organization trail. */
export function trailKey(l: Pick<TrailLocation, 'organizationId' | 'accountId' | 'region'>): string {
  return `${l.organizationId === null ? '' : `${l.organizationId}/`}${l.accountId}/${l.region}`;
}

/** One account and Region of a trail: the prefix its day folders sit under. */
export type TrailPrefix = Pick<TrailLocation, 'organizationId' | 'accountId' | 'region'>;

/** The prefix when `dir` is `.../AWSLogs/[o-<org>/]<account>/CloudTrail/<region>`; null otherwise. */
export function trailPrefixOf(dir: string): TrailPrefix | null {
  const parts = dir.split(sep === '/' ? '/' : /[\\/]/).filter((p) => p !== '');
  const [region, service, accountId] = parts.slice(-3).reverse();
  if (region === undefined || !REGION.test(region) || service !== 'CloudTrail' || accountId === undefined || !ACCOUNT.test(accountId)) return null;
  const above = parts.at(-4);
  if (above === 'AWSLogs') return { organizationId: null, accountId, region };
  if (above !== undefined && ORG.test(above) && parts.at(-5) === 'AWSLogs') return { organizationId: above, accountId, region };
  return null;
}
