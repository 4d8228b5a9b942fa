import type { CallerIdentity } from '../kek/provider';
import type { SeededRandom } from '../random';

/**
 * The simulated estate: which services store which data under which KEK, for which
 * tenants, and as whom they call KMS. Shapes follow what real AWS estates show in
 * CloudTrail (assumed roles with instance sessions, private source IPs, SDK user agents).
 */

export const ACCOUNT_ID = '111122223333';
export const REGION = 'eu-west-1';

export type ObjectKind = 'message' | 'attachment' | 'export';

export interface ServiceSpec {
  name: string;
  /** Alias of the KEK this service writes under. */
  kekAlias: string;
  /** Share of write traffic; 0 for read-only services. */
  writeWeight: number;
  /** Share of read traffic. */
  readWeight: number;
  /** Services whose objects this one reads (itself included where it reads its own). */
  readsFrom: string[];
  kind: ObjectKind;
  /** IAM role the service's workloads assume. */
  roleName: string;
  /** Workload instances (each an STS session with its own private IP). */
  instances: number;
  userAgent: string;
}

const SDK_UA = 'aws-sdk-js/3.758.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.19.0 api/kms#3.758.0';

export const SERVICES: readonly ServiceSpec[] = [
  { name: 'messaging-api', kekAlias: 'alias/keyscope-messages', writeWeight: 0.62, readWeight: 0.45, readsFrom: ['messaging-api'], kind: 'message', roleName: 'messaging-api', instances: 3, userAgent: SDK_UA },
  { name: 'attachments-svc', kekAlias: 'alias/keyscope-attachments', writeWeight: 0.3, readWeight: 0.25, readsFrom: ['attachments-svc'], kind: 'attachment', roleName: 'attachments-svc', instances: 2, userAgent: 'aws-sdk-java/2.25.60 Linux/6.1.0 OpenJDK_64-Bit_Server_VM/17.0.11+9 Java/17.0.11 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/standard' },
  { name: 'billing-export', kekAlias: 'alias/keyscope-billing', writeWeight: 0.08, readWeight: 0.05, readsFrom: ['billing-export'], kind: 'export', roleName: 'billing-export', instances: 1, userAgent: 'Boto3/1.34.120 md/Botocore#1.34.120 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.120' },
  { name: 'search-indexer', kekAlias: 'alias/keyscope-messages', writeWeight: 0, readWeight: 0.25, readsFrom: ['messaging-api', 'attachments-svc'], kind: 'message', roleName: 'search-indexer', instances: 1, userAgent: SDK_UA },
];

/** Tenants with Zipf-like weights: a few large customers and a long tail. */
export const TENANTS: ReadonlyArray<readonly [string, number]> = [
  ['acme', 30],
  ['globex', 18],
  ['initech', 12],
  ['umbrella', 9],
  ['hooli', 7],
  ['stark', 6],
  ['wayne', 5],
  ['wonka', 4],
  ['tyrell', 3],
  ['cyberdyne', 3],
  ['soylent', 2],
  ['oscorp', 1],
];

export function roleArn(roleName: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:role/${roleName}`;
}

/** Uppercase alphanumerics as AWS uses in role ids and access key ids. */
function awsIdChars(random: SeededRandom, n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[random.int(0, alphabet.length - 1)];
  return s;
}

/** One STS session per workload instance, as EC2 instance profiles produce them. */
export function serviceCallers(spec: ServiceSpec, random: SeededRandom, subnet: number): CallerIdentity[] {
  const roleId = `AROA${awsIdChars(random, 17)}`;
  return Array.from({ length: spec.instances }, (_, i) => {
    const session = `i-0${random.hex(8)}`;
    return {
      type: 'AssumedRole' as const,
      arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${spec.roleName}/${session}`,
      accountId: ACCOUNT_ID,
      principalId: `${roleId}:${session}`,
      accessKeyId: `ASIA${awsIdChars(random, 16)}`,
      roleArn: roleArn(spec.roleName),
      sourceIp: `10.20.${subnet}.${10 + i}`,
      userAgent: spec.userAgent,
    };
  });
}

/**
 * The attacker of the `compromise` scenario: a long-lived IAM user's access key, allowed
 * by an over-broad key policy statement but never seen using the key, calling from an
 * address outside the estate.
 */
export function compromisedCaller(random: SeededRandom): CallerIdentity {
  return {
    type: 'IAMUser',
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/svc-reporting-legacy`,
    accountId: ACCOUNT_ID,
    principalId: `AIDA${awsIdChars(random, 17)}`,
    accessKeyId: `AKIA${awsIdChars(random, 16)}`,
    sourceIp: `185.220.101.${random.int(2, 250)}`,
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/kms.decrypt',
  };
}

/** Payload size for an object of a kind: log-normal around realistic medians, clamped. */
export function objectSize(kind: ObjectKind, random: SeededRandom): number {
  switch (kind) {
    case 'message':
      return clamp(Math.round(random.logNormal(1800, 0.9)), 64, 64 * 1024);
    case 'attachment':
      return clamp(Math.round(random.logNormal(96 * 1024, 1.1)), 4 * 1024, 2 * 1024 * 1024);
    case 'export':
      return clamp(Math.round(random.logNormal(256 * 1024, 0.6)), 32 * 1024, 1024 * 1024);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
