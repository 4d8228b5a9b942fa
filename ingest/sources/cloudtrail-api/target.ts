import type { CloudTrailApiTarget } from '../../../lib/config';

export const CLOUDTRAIL_API_SOURCE = 'cloudtrail-api';

/** A configured target with its checkpoint key. */
export type ApiTarget = CloudTrailApiTarget & {
  /**
   * `<profile>/<region>` ('default' for the default chain): the checkpoint key and the
   * name in logs. The account is not known before a call (that would need STS), so a
   * target is one profile in one region; list one profile per account.
   */
  key: string;
};

export function apiTarget(t: CloudTrailApiTarget): ApiTarget {
  return { ...t, key: `${t.profile ?? 'default'}/${t.region}` };
}
