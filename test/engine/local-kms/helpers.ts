import { SimulatedClock } from '../../../lib/engine/clock';
import { KmsError, type KmsErrorCode } from '../../../lib/engine/errors';
import { SeededRandom } from '../../../lib/engine/random';
import type { KmsCloudTrailRecord } from '../../../lib/engine/audit/cloudtrail-record';
import type { CallerIdentity } from '../../../lib/engine/kek/provider';
import { LocalKms, type LocalKmsOptions } from '../../../lib/engine/kek/local-kms/local-kms';

export const ACCT = '111122223333';
export const OTHER_ACCT = '444455556666';
export const REGION = 'us-west-2';
export const T0 = Date.UTC(2025, 4, 20, 20, 0, 0);

export function assumedRole(role: string, session = 'session-1', account = ACCT): CallerIdentity {
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    principalId: `AROA${role.toUpperCase().replace(/[^A-Z0-9]/g, '')}:${session}`,
    accessKeyId: 'ASIAEXAMPLE0000001',
    roleArn: `arn:aws:iam::${account}:role/${role}`,
    sourceIp: '10.0.1.23',
    userAgent: 'aws-sdk-js/3.700.0',
  };
}

export function iamUser(name: string, account = ACCT): CallerIdentity {
  return {
    type: 'IAMUser',
    arn: `arn:aws:iam::${account}:user/${name}`,
    accountId: account,
    principalId: `AIDA${name.toUpperCase()}`,
    accessKeyId: 'AKIAEXAMPLE0000001',
    sourceIp: '192.0.2.10',
    userAgent: 'aws-cli/2.15.0',
  };
}

export function makeKms(overrides: Partial<LocalKmsOptions> = {}, seed = 7) {
  const clock = new SimulatedClock(T0);
  const records: KmsCloudTrailRecord[] = [];
  const kms = new LocalKms({
    accountId: ACCT,
    region: REGION,
    clock,
    random: new SeededRandom(seed),
    audit: (r) => {
      records.push(r);
    },
    ...overrides,
  });
  return { kms, clock, records };
}

/** The KMS error code a promise rejects with (fails the test if it resolves or throws something else). */
export async function codeOf(p: Promise<unknown>): Promise<KmsErrorCode> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KmsError) return err.code;
    throw err;
  }
  throw new Error('expected a KmsError, but the call succeeded');
}

export async function errorOf(p: Promise<unknown>): Promise<KmsError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KmsError) return err;
    throw err;
  }
  throw new Error('expected a KmsError, but the call succeeded');
}
