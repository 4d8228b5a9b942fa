import type { Clock } from '../clock';
import { EnvelopeEngine } from '../engine';
import type { CallerIdentity } from '../kek/provider';
import type { KeyPolicyInput } from '../kek/local-kms/policy';
import type { LocalKms } from '../kek/local-kms/local-kms';
import type { SeededRandom } from '../random';
import type { EventSink } from '../sinks/event-sink';
import { ACCOUNT_ID, REGION, SERVICES, roleArn, serviceCallers, type ServiceSpec } from './topology';

/**
 * The simulated estate wired together: one KEK per alias with a key policy that names
 * the services allowed to use it, and one envelope engine per workload instance (each
 * with its own DEK caches, as separate processes have).
 */

export const ADMIN_ROLE = 'kms-admin';
const LEGACY_USER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/svc-reporting-legacy`;

export interface ServiceWorkers {
  spec: ServiceSpec;
  engines: EnvelopeEngine[];
  callers: CallerIdentity[];
}

export interface Estate {
  kms: LocalKms;
  admin: CallerIdentity;
  /** Key ARN by alias. */
  keyArns: Map<string, string>;
  services: Map<string, ServiceWorkers>;
}

export function adminCaller(random: SeededRandom): CallerIdentity {
  const session = `terraform-${random.hex(4)}`;
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ADMIN_ROLE}/${session}`,
    accountId: ACCOUNT_ID,
    principalId: `AROAKSADMIN${random.hex(5).toUpperCase()}:${session}`,
    accessKeyId: `ASIAKSADMIN${random.hex(5).toUpperCase()}`,
    roleArn: roleArn(ADMIN_ROLE),
    sourceIp: '10.20.0.5',
    userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.62.0 aws-sdk-go-v2/1.30.3 ua/2.1 os/linux lang/go#1.22.5 api/kms#1.35.3',
  };
}

/** Key policy: admins manage, writers use, readers decrypt, and one stale grant of old. */
export function keyPolicyFor(alias: string): KeyPolicyInput {
  const writers = SERVICES.filter((s) => s.kekAlias === alias && s.writeWeight > 0).map((s) => roleArn(s.roleName));
  const readers = SERVICES.filter((s) => s.readsFrom.some((from) => SERVICES.find((w) => w.name === from)?.kekAlias === alias)).map((s) => roleArn(s.roleName));
  return {
    Version: '2012-10-17',
    Id: `key-policy-${alias.replace('alias/', '')}`,
    Statement: [
      {
        Sid: 'KeyAdministration',
        Effect: 'Allow',
        Principal: { AWS: roleArn(ADMIN_ROLE) },
        Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand', 'kms:TagResource'],
        Resource: '*',
      },
      {
        Sid: 'ServiceUse',
        Effect: 'Allow',
        Principal: { AWS: writers.length > 0 ? writers : [roleArn(ADMIN_ROLE)] },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
      },
      {
        Sid: 'ServiceRead',
        Effect: 'Allow',
        Principal: { AWS: [...new Set(readers)] },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      },
      // The standing misconfiguration real estates carry: a reporting user granted
      // decrypt years ago and never used since. The `compromise` scenario abuses it.
      { Sid: 'LegacyReporting', Effect: 'Allow', Principal: { AWS: LEGACY_USER_ARN }, Action: 'kms:Decrypt', Resource: '*' },
    ],
  };
}

export interface EstateOptions {
  kms: LocalKms;
  clock: Clock;
  random: SeededRandom;
  sink: EventSink;
  dekPolicy: 'cached' | 'per-object';
  /** True when the KMS was restored from a key file that already holds the keys. */
  keysExist: boolean;
}

export async function buildEstate(o: EstateOptions): Promise<Estate> {
  const admin = adminCaller(o.random.fork('admin'));
  const keyArns = new Map<string, string>();
  const existing = o.keysExist ? await o.kms.listAliases({ caller: admin }) : [];
  for (const alias of new Set(SERVICES.map((s) => s.kekAlias))) {
    const found = existing.find((a) => a.AliasName === alias);
    if (found) {
      keyArns.set(alias, `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${found.TargetKeyId}`);
      continue;
    }
    const meta = await o.kms.createKey({ description: `keyscope ${alias.replace('alias/keyscope-', '')} data`, policy: keyPolicyFor(alias), caller: admin });
    await o.kms.createAlias({ aliasName: alias, targetKeyId: meta.KeyId, caller: admin });
    await o.kms.enableKeyRotation({ keyId: meta.KeyId, rotationPeriodInDays: 365, caller: admin });
    keyArns.set(alias, meta.Arn);
  }
  const services = new Map<string, ServiceWorkers>();
  SERVICES.forEach((spec, i) => {
    const callers = serviceCallers(spec, o.random.fork(`callers:${spec.name}`), 10 + i);
    const engines = callers.map(
      (caller, n) =>
        new EnvelopeEngine({
          provider: o.kms,
          kekId: keyArns.get(spec.kekAlias)!,
          dekPolicy:
            o.dekPolicy === 'cached'
              ? // An hour per DEK: at the few objects per second of a demo, shorter windows
                // would leave most reads missing the cache, which no tuned service runs with.
                { kind: 'cached', maxAgeMs: 60 * 60_000, maxMessages: 10_000, maxBytes: 1024 ** 3 }
              : { kind: 'per-object' },
          decryptCache: { ttlMs: 60 * 60_000, maxEntries: 5_000 },
          clock: o.clock,
          random: o.random.fork(`engine:${spec.name}:${n}`),
          sink: o.sink,
          service: spec.name,
          caller,
          region: REGION,
          accountId: ACCOUNT_ID,
        }),
    );
    services.set(spec.name, { spec, engines, callers });
  });
  return { kms: o.kms, admin, keyArns, services };
}
