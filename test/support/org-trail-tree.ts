import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * An organization trail's tree (AWSLogs/o-<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/...)
 * made from a single-account trail the traffic generator wrote: every log file is copied
 * into each account and Region, its records rewritten to that account and Region (ARNs,
 * recipientAccountId, awsRegion) with fresh, deterministic eventIDs, so the copies are
 * distinct events. Each account/Region also gets a digest and an Insights file, and
 * `withS3` adds an S3 data event to every file (other services share an org trail).
 */
export type OrgTreeOptions = { orgId: string; accounts: string[]; regions: string[]; withS3?: boolean };
export type OrgTreeCounts = { logFiles: number; kmsEvents: number; s3Events: number; digestFiles: number; insightFiles: number };

type Rec = Record<string, unknown> & { eventID: string; eventSource: string };

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** `srcAwsLogs` is a generator tree's AWSLogs folder (one account, one Region). */
export function writeOrgTree(srcAwsLogs: string, destRoot: string, o: OrgTreeOptions): OrgTreeCounts {
  const src = filesUnder(srcAwsLogs).filter((f) => f.endsWith('.json.gz'));
  const [srcAccount, , srcRegion] = relative(srcAwsLogs, src[0]!).split(sep);
  const counts: OrgTreeCounts = { logFiles: 0, kmsEvents: 0, s3Events: 0, digestFiles: 0, insightFiles: 0 };
  for (const account of o.accounts) {
    for (const region of o.regions) {
      for (const file of src) {
        const text = gunzipSync(readFileSync(file)).toString('utf8').replaceAll(srcAccount!, account).replaceAll(srcRegion!, region);
        const { Records } = JSON.parse(text) as { Records: Rec[] };
        const out: Rec[] = Records.map((r) => ({ ...r, eventID: uuidFrom(`${account}/${region}/${r.eventID}`) }));
        if (o.withS3) out.push(s3Event(account, region, out[0]?.eventTime as string, uuidFrom(`s3/${account}/${region}/${file}`)));
        const rel = relative(join(srcAwsLogs, srcAccount!, 'CloudTrail', srcRegion!), file).replaceAll(srcAccount!, account).replaceAll(srcRegion!, region);
        const dest = join(destRoot, 'AWSLogs', o.orgId, account, 'CloudTrail', region, rel);
        mkdirSync(dirname(dest), { recursive: true });
        writeFileSync(dest, gzipSync(JSON.stringify({ Records: out })));
        counts.logFiles++;
        counts.kmsEvents += out.filter((r) => r.eventSource === 'kms.amazonaws.com').length;
        counts.s3Events += out.filter((r) => r.eventSource === 's3.amazonaws.com').length;
      }
      const day = relative(join(srcAwsLogs, srcAccount!, 'CloudTrail', srcRegion!), dirname(src[0]!));
      const digest = join(destRoot, 'AWSLogs', o.orgId, account, 'CloudTrail-Digest', region, day, `${account}_CloudTrail-Digest_${region}_trail_${region}_${account}_20260301T110000Z.json.gz`);
      mkdirSync(dirname(digest), { recursive: true });
      writeFileSync(digest, gzipSync(JSON.stringify({ awsAccountId: account, digestStartTime: '2026-03-01T10:00:00Z', logFiles: [] })));
      const insight = join(destRoot, 'AWSLogs', o.orgId, account, 'CloudTrail-Insight', region, day, `${account}_CloudTrail-Insight_${region}_20260301T1100Z_x.json.gz`);
      mkdirSync(dirname(insight), { recursive: true });
      // An Insights file also has a Records array: only its folder tells it apart.
      writeFileSync(insight, gzipSync(JSON.stringify({ Records: [{ eventVersion: '1.08', eventType: 'AwsCloudTrailInsight', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', insightDetails: { state: 'Start' } }] })));
      counts.digestFiles++;
      counts.insightFiles++;
    }
  }
  return counts;
}

function s3Event(account: string, region: string, eventTime: string, eventID: string): Rec {
  return {
    eventVersion: '1.10',
    userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:etl', arn: `arn:aws:sts::${account}:assumed-role/etl/etl`, accountId: account },
    eventTime,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: region,
    sourceIPAddress: '198.51.100.7',
    userAgent: '[aws-sdk-java/2.25.40]',
    requestParameters: { bucketName: `exports-${account}`, key: 'daily.parquet' },
    responseElements: null,
    requestID: 'C3D13FE58DE4C810',
    eventID,
    readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::exports-${account}/daily.parquet` }],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: account,
    eventCategory: 'Data',
  };
}
