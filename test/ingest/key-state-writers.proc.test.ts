import { utimesSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyState } from '../../lib/model/key-state';
import { openStore } from '../../lib/store';
import { ACCT, REGION, iamUser, makeKms } from '../engine/local-kms/helpers';
import { identities, keyResource, kmsApiCall } from '../support/cloudtrail-fixtures';
import { KmsWireServer } from '../support/kms-wire-server';
import { tempDbPath } from '../support/temp-store';
import { scratchDir } from './support/file-source-harness';
import { collect, logLines, spawnIngest } from './support/ingest-child';

/*
 * `ingest serve`, `ingest refresh-keys` and `ingest import` started at once on one SQLite
 * database, each holding different facts of one key: the store merges them per fact inside
 * each write transaction, so the stored state ends with every one of them, whatever order
 * the three commit in.
 */
const CREDS = { accessKeyId: 'AKIAWRITERS000000001', secretAccessKey: 'writers-secret-for-tests-only' };
const OLD_MATERIAL = 'a'.repeat(64);
const SERVED_MATERIAL = 'e'.repeat(64);
const HOUR = 3_600_000;

let server: KmsWireServer;
let key: { KeyId: string; Arn: string; CurrentKeyMaterialId: string };
let kmsCreatedAt: string;
const db = tempDbPath();
const served = scratchDir();
const imported = scratchDir();
const now = Date.now();
const servedAt = now - 2 * HOUR;

const prefix = `AWSLogs/${ACCT}/CloudTrail/${REGION}`;
const dayDir = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');
const trailFile = (records: unknown[]) => JSON.stringify({ Records: records });
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  const { kms } = makeKms({ defaultCaller: iamUser('admin') });
  key = await kms.createKey({ description: 'orders' });
  await kms.createAlias({ aliasName: 'alias/orders', targetKeyId: key.KeyId });
  await kms.enableKeyRotation({ keyId: key.KeyId, rotationPeriodInDays: 90 });
  kmsCreatedAt = (await kms.describeKey({ keyId: key.KeyId })).CreationDate.toISOString();
  server = await KmsWireServer.start({ provider: kms, principals: { [CREDS.accessKeyId]: { secretAccessKey: CREDS.secretAccessKey, identity: iamUser('inventory') } } });

  const on = (eventName: string, label: string, ms: number, extra: Parameters<typeof kmsApiCall>[0] = { eventName }) =>
    kmsApiCall({ ...extra, eventName, label, eventTime: iso(ms), requestParameters: { keyId: key.Arn }, resources: [keyResource(key.Arn, ACCT)] });
  // History only the import reads: a policy change, an on-demand rotation, a use of older key material.
  const past = Date.UTC(2025, 5, 1, 9, 0, 0);
  imported.write(`${prefix}/${dayDir(past)}/${ACCT}_CloudTrail_${REGION}_history.json.gz`, trailFile([
    on('PutKeyPolicy', 'policy', past),
    on('RotateKeyOnDemand', 'rotate', past + HOUR),
    on('GenerateDataKey', 'gdk-old', past + 2 * HOUR, { eventName: 'GenerateDataKey', userIdentity: identities.assumedRole(ACCT), additionalEventData: { keyMaterialId: OLD_MATERIAL }, readOnly: true }),
  ]));
  // A recent use only the service's trail watcher reads.
  const file = served.write(`${prefix}/${dayDir(servedAt)}/${ACCT}_CloudTrail_${REGION}_recent.json.gz`, trailFile([
    on('Decrypt', 'dec-recent', servedAt, { eventName: 'Decrypt', userIdentity: identities.assumedRole(ACCT), additionalEventData: { keyMaterialId: SERVED_MATERIAL }, readOnly: true }),
  ]));
  // Settled already: the watcher reads it on its first poll.
  utimesSync(file, new Date(now - HOUR), new Date(now - HOUR));

  // Migrated once up front, so the three start on the same schema instead of racing to create it.
  await (await openStore({ backend: 'sqlite', sqlitePath: db.path })).close();
});

afterAll(async () => {
  await server.close();
  served.cleanup();
  imported.cleanup();
  db.cleanup();
});

describe('three writers of one key at once (sqlite)', () => {
  it('serve, refresh-keys and import each contribute their facts and none is lost', async () => {
    const serve = spawnIngest(['serve', '--db', db.path, '--watch', served.dir], {
      KEYSCOPE_LOG_LEVEL: 'info', KEYSCOPE_INTAKE_PORT: '0', KEYSCOPE_CLOUDTRAIL_POLL_MS: '200', KEYSCOPE_CLOUDTRAIL_LOOKBACK_DAYS: '2',
    });
    const serveLog = logLines(serve);
    const serveDone = collect(serve);
    const kmsEnv = { AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey, AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true' };
    const refresh = collect(spawnIngest(['refresh-keys', '--region', REGION, '--endpoint', server.url, '--db', db.path], kmsEnv));
    const imp = collect(spawnIngest(['import', imported.dir, '--db', db.path, '--json']));

    await serveLog.until((l) => l.msg === 'cloudtrail files ingested' && l.auditEvents === 1);
    serve.kill('SIGTERM');
    const [s, r, i] = await Promise.all([serveDone, refresh, imp]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 keys, 1 aliases, 1 key states written/);
    expect(i.code, i.stderr).toBe(0);
    expect(JSON.parse(i.stdout)).toMatchObject({ stored: 3, deadLettered: 0 });
    expect(s.code, s.stderr).toBe(0);

    const conn = new Database(db.path, { readonly: true });
    const rows = conn.prepare('SELECT doc FROM key_states').all() as Array<{ doc: string }>;
    conn.close();
    expect(rows).toHaveLength(1);
    const state = JSON.parse(rows[0]!.doc) as KeyState;
    expect(state).toMatchObject({
      keyArn: key.Arn,
      // From KMS (refresh-keys): the state, rotation, alias, creation date and current material as of the listing.
      state: 'Enabled', rotationEnabled: true, rotationPeriodDays: 90, aliases: ['alias/orders'], createdAt: kmsCreatedAt, currentVersion: key.CurrentKeyMaterialId,
      // From the import: history.
      policyUpdatedAt: '2025-06-01T09:00:00.000Z', lastRotatedAt: '2025-06-01T10:00:00.000Z', firstUsedAt: '2025-06-01T11:00:00.000Z',
      // From serve: the latest use, at minute resolution.
      lastUsedAt: new Date(Math.floor(servedAt / 1000 / 60) * 60_000).toISOString(),
    });
    expect([...state.versions].sort()).toEqual([OLD_MATERIAL, SERVED_MATERIAL, key.CurrentKeyMaterialId].sort());
  });
});
