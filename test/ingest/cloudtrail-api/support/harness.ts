import { silentLogger } from '../../../../ingest/log';
import { Pipeline } from '../../../../ingest/pipeline/pipeline';
import { CloudTrailApiPoller, type PollerOptions } from '../../../../ingest/sources/cloudtrail-api/poller';
import type { Sleep } from '../../../../ingest/sources/cloudtrail-api/sleep';
import { CLOUDTRAIL_API_SOURCE } from '../../../../ingest/sources/cloudtrail-api/target';
import type { CloudTrailApiTarget } from '../../../../lib/config';
import type { Store } from '../../../../lib/store/types';
import { identities, keyResource, kmsApiCall, uuidFor } from '../../../support/cloudtrail-fixtures';
import { CloudTrailWireServer, type CloudTrailPrincipal } from '../../../support/cloudtrail-wire-server';
import { openTempStore } from '../../../support/temp-store';

/** Two accounts, one profile each; the secrets are test-only strings, never key material. */
export const PROFILES: Record<string, { accountId: string; accessKeyId: string; secretAccessKey: string }> = {
  prod: { accountId: '111122223333', accessKeyId: 'AKIAPRODEXAMPLE00001', secretAccessKey: 'prod-secret-for-tests-only' },
  staging: { accountId: '444455556666', accessKeyId: 'AKIASTAGINGEXAMPLE01', secretAccessKey: 'staging-secret-for-tests-only' },
};

export function principals(): Record<string, CloudTrailPrincipal> {
  return Object.fromEntries(
    Object.entries(PROFILES).map(([name, p]) => [p.accessKeyId, { secretAccessKey: p.secretAccessKey, accountId: p.accountId, arn: `arn:aws:iam::${p.accountId}:user/keyscope-${name}` }]),
  );
}

export type Harness = { server: CloudTrailWireServer; store: Store; dbPath: string; close: () => Promise<void> };

/** A wire server and a private sqlite store (STYLE.md 14). `maxPerSecond` high for tests that are not about the limit. */
export async function startHarness(o: { maxPerSecond?: number; now?: () => number } = {}): Promise<Harness> {
  const server = await CloudTrailWireServer.start({ principals: principals(), maxPerSecond: o.maxPerSecond ?? 1000, ...(o.now ? { now: o.now } : {}) });
  const temp = await openTempStore();
  return {
    server, store: temp.store, dbPath: temp.path,
    close: async () => {
      await server.close();
      await temp.cleanup();
    },
  };
}

/** A sleep that returns at once and records what was asked (backoff and poll intervals in tests). */
export function instantSleep(): Sleep & { calls: number[] } {
  const calls: number[] = [];
  const sleep = (async (ms: number, signal?: AbortSignal) => {
    calls.push(ms);
    signal?.throwIfAborted();
    await new Promise((r) => setImmediate(r));
  }) as Sleep & { calls: number[] };
  sleep.calls = calls;
  return sleep;
}

export const NOW = Date.parse('2026-03-02T12:00:00Z');

export type PollerHandle = { poller: CloudTrailApiPoller; pipeline: Pipeline; sleep: ReturnType<typeof instantSleep>; close: () => Promise<void> };

/** A poller over the harness's server and store; fast limiter (for a server started without the 2/s limit) and instant backoff unless overridden. */
export function makePoller(h: Pick<Harness, 'server' | 'store'>, targets: CloudTrailApiTarget[], o: Partial<PollerOptions> = {}): PollerHandle {
  const pipeline = o.pipeline ?? new Pipeline({ source: CLOUDTRAIL_API_SOURCE, store: h.store, batchRecords: 500, batchMaxAgeMs: 20, maxWriteAttempts: 2, retryBaseMs: 1 });
  const sleep = instantSleep();
  const poller = new CloudTrailApiPoller({
    targets, pipeline, store: h.store, logger: silentLogger(),
    pollIntervalMs: 60_000, overlapMs: 15 * 60_000, backfillDays: 2, maxRequestsPerSecond: 200, apiLimitPerSecond: 1000, endpoint: h.server.url,
    credentials: (t) => {
      const p = PROFILES[t.profile ?? 'prod']!;
      return { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey };
    },
    now: () => NOW, sleep, random: () => 0.5,
    ...o,
  });
  return {
    poller, pipeline, sleep,
    close: async () => {
      await poller.stop();
      await pipeline.close().catch(() => undefined);
    },
  };
}

/** `n` Decrypt records of an account and region, one every `stepMs` back from `newest`. */
export function kmsEvents(n: number, o: { account?: string; region?: string; newest?: number; stepMs?: number; label?: string } = {}): Record<string, unknown>[] {
  const account = o.account ?? PROFILES.prod!.accountId;
  const region = o.region ?? 'eu-west-1';
  const newest = o.newest ?? NOW - 60_000;
  const step = o.stepMs ?? 10_000;
  const keyArn = `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  return Array.from({ length: n }, (_, i) =>
    kmsApiCall({
      eventName: 'Decrypt',
      label: `${o.label ?? 'ev'}:${account}:${region}:${i}`,
      eventTime: new Date(Math.floor((newest - i * step) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      awsRegion: region,
      recipientAccountId: account,
      userIdentity: identities.assumedRole(account),
      requestParameters: { encryptionContext: { tenant: 'acme', object: `obj-${i}` }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      resources: [keyResource(keyArn, account)],
      readOnly: true,
    }),
  );
}

export { uuidFor };
