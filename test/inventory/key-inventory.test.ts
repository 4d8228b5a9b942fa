import { describe, expect, it } from 'vitest';
import { KeyInventory, reduceKeyInventory } from '../../lib/inventory/key-inventory';
import type { AuditEvent } from '../../lib/model/audit-event';
import { KeyStateSchema } from '../../lib/model/key-state';
import { SeededRandom } from '../../lib/engine/random';
import {
  ACCOUNT, KEY2_ARN, KEY2_ID, KEY_ARN, KEY_ID, MATERIAL_A, MATERIAL_B, MRK_ARN, MRK_ID, failed, identities, keyResource, kmsApiCall, kmsServiceEvent,
} from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';

const at = (min: number) => new Date(Date.UTC(2025, 4, 21, 6, 0, 0) + min * 60_000).toISOString().replace('.000Z', 'Z');
const ALIAS_RES = (name: string) => keyResource(`arn:aws:kms:us-west-2:${ACCOUNT}:${name}`);

/** A key's life as CloudTrail records it, one event a minute. */
const LIFE: AuditEvent[] = [
  kmsApiCall({ eventName: 'CreateKey', label: 'create', eventTime: at(0), requestParameters: { description: 'orders', keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS' },
    responseElements: { keyMetadata: { aWSAccountId: ACCOUNT, keyId: KEY_ID, arn: KEY_ARN, creationDate: 'May 21, 2025, 6:00:00 AM', enabled: true, keyState: 'Enabled', origin: 'AWS_KMS', currentKeyMaterialId: MATERIAL_A } } }),
  kmsApiCall({ eventName: 'CreateKey', label: 'create2', eventTime: at(1), requestParameters: { description: 'archive' }, resources: [keyResource(KEY2_ARN)],
    responseElements: { keyMetadata: { keyId: KEY2_ID, arn: KEY2_ARN, keyState: 'Enabled' } } }),
  kmsApiCall({ eventName: 'CreateAlias', label: 'alias', eventTime: at(2), requestParameters: { aliasName: 'alias/orders', targetKeyId: KEY_ID }, resources: [keyResource(KEY_ARN), ALIAS_RES('alias/orders')] }),
  kmsApiCall({ eventName: 'CreateAlias', label: 'alias-tmp', eventTime: at(2), requestParameters: { aliasName: 'alias/tmp', targetKeyId: KEY_ID }, resources: [keyResource(KEY_ARN), ALIAS_RES('alias/tmp')] }),
  kmsApiCall({ eventName: 'EnableKeyRotation', label: 'rot-on', eventTime: at(3), requestParameters: { keyId: KEY_ID, rotationPeriodInDays: 180 } }),
  kmsApiCall({ eventName: 'PutKeyPolicy', label: 'policy', eventTime: at(4), requestParameters: { keyId: KEY_ID, policyName: 'default', policy: '{}' } }),
  kmsApiCall({ eventName: 'GenerateDataKey', label: 'gdk', eventTime: at(5), userIdentity: identities.assumedRole(), requestParameters: { keyId: 'alias/orders', keySpec: 'AES_256', encryptionContext: { tenant: 'acme' } }, additionalEventData: { keyMaterialId: MATERIAL_A }, readOnly: true }),
  kmsApiCall({ eventName: 'Decrypt', label: 'dec', eventTime: at(6), userIdentity: identities.assumedRole(), requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, additionalEventData: { keyMaterialId: MATERIAL_A }, readOnly: true }),
  failed(kmsApiCall({ eventName: 'DisableKey', label: 'denied-disable', eventTime: at(7), userIdentity: identities.assumedRole() }), 'AccessDeniedException', 'not authorized'),
  kmsServiceEvent({ eventName: 'RotateKey', label: 'rotate', eventTime: at(8), serviceEventDetails: { rotationType: 'AUTOMATIC', keyOrigin: 'AWS_KMS', previousKeyMaterialId: MATERIAL_A, currentKeyMaterialId: MATERIAL_B } }),
  kmsApiCall({ eventName: 'DisableKey', label: 'disable', eventTime: at(9) }),
  kmsApiCall({ eventName: 'EnableKey', label: 'enable', eventTime: at(10) }),
  kmsApiCall({ eventName: 'UpdateAlias', label: 'move-alias', eventTime: at(11), requestParameters: { aliasName: 'alias/orders', targetKeyId: KEY2_ID }, resources: [ALIAS_RES('alias/orders'), keyResource(KEY_ARN), keyResource(KEY2_ARN)] }),
  kmsApiCall({ eventName: 'DeleteAlias', label: 'del-alias', eventTime: at(12), requestParameters: { aliasName: 'alias/tmp' }, resources: [ALIAS_RES('alias/tmp'), keyResource(KEY_ARN)] }),
  kmsApiCall({ eventName: 'DisableKeyRotation', label: 'rot-off-2', eventTime: at(13), requestParameters: { keyId: KEY2_ID }, resources: [keyResource(KEY2_ARN)] }),
  kmsApiCall({ eventName: 'ScheduleKeyDeletion', label: 'schedule', eventTime: at(14), requestParameters: { keyId: KEY2_ID, pendingWindowInDays: 7 }, resources: [keyResource(KEY2_ARN)],
    responseElements: { keyId: KEY2_ARN, deletionDate: 'May 28, 2025, 6:14:00 AM', keyState: 'PendingDeletion', pendingWindowInDays: 7 } }),
  kmsApiCall({ eventName: 'Decrypt', label: 'dec-late', eventTime: at(15), userIdentity: identities.assumedRole(undefined, 'OrdersService', 'orders-9a1b'), requestParameters: {}, additionalEventData: { keyMaterialId: MATERIAL_B }, readOnly: true }),
].map(accept);

const EXPECTED_KEY = {
  keyArn: KEY_ARN, keyId: KEY_ID, accountId: ACCOUNT, region: 'us-west-2', aliases: [], state: 'Enabled',
  rotationEnabled: true, rotationPeriodDays: 180, lastRotatedAt: '2025-05-21T06:08:00.000Z', currentVersion: MATERIAL_B,
  versions: [MATERIAL_A, MATERIAL_B], createdAt: '2025-05-21T06:00:00.000Z', deletionDate: null,
  firstUsedAt: '2025-05-21T06:05:00.000Z', lastUsedAt: '2025-05-21T06:15:00.000Z', policyUpdatedAt: '2025-05-21T06:04:00.000Z', primaryKeyArn: null,
  updatedAt: '2025-05-21T06:15:00.000Z',
};
const EXPECTED_KEY2 = {
  keyArn: KEY2_ARN, aliases: ['alias/orders'], state: 'PendingDeletion', deletionDate: '2025-05-28T06:14:00.000Z',
  rotationEnabled: false, rotationPeriodDays: null, createdAt: '2025-05-21T06:01:00.000Z', firstUsedAt: null,
};

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const r = new SeededRandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('key inventory from management and data-plane events', () => {
  it('a key through creation, alias, rotation, policy, use, disable/enable, alias moves and deletion', () => {
    const states = reduceKeyInventory(LIFE);
    for (const s of states) KeyStateSchema.parse(s);
    expect(states.map((s) => s.keyArn)).toEqual([KEY2_ARN, KEY_ARN].sort());
    expect(states.find((s) => s.keyArn === KEY_ARN)).toMatchObject(EXPECTED_KEY);
    expect(states.find((s) => s.keyArn === KEY2_ARN)).toMatchObject(EXPECTED_KEY2);
  });

  it('gives the same inventory whatever order the events arrive in', () => {
    const inOrder = reduceKeyInventory(LIFE);
    expect(reduceKeyInventory([...LIFE].reverse())).toEqual(inOrder);
    for (const seed of [1, 2, 3, 4, 5]) expect(reduceKeyInventory(shuffled(LIFE, seed))).toEqual(inOrder);
  });

  it('continues from stored states after a restart: split anywhere, in any order, the same answer', () => {
    const whole = reduceKeyInventory(LIFE);
    for (const seed of [11, 12, 13]) {
      const events = shuffled(LIFE, seed);
      for (const cut of [3, 8, 13]) {
        // What the first process wrote, as JSON (what the store keeps), is where the second starts.
        const stored = JSON.parse(JSON.stringify(reduceKeyInventory(events.slice(0, cut))));
        expect(reduceKeyInventory(events.slice(cut), stored)).toEqual(whole);
      }
    }
  });

  it('a late older event changes nothing: DisableKey before an EnableKey already seen, an old CreateAlias after the alias moved', () => {
    const inv = new KeyInventory();
    inv.applyEvents([LIFE[0]!, LIFE[1]!, LIFE[11]!, LIFE[12]!]); // create, create2, EnableKey at 10, UpdateAlias → KEY2 at 11
    const changed = inv.applyEvents([LIFE[10]!, LIFE[2]!]); // DisableKey at 9, CreateAlias → KEY at 2
    expect(changed.has(KEY_ARN)).toBe(true);
    expect(inv.keyState(KEY_ARN)).toMatchObject({ state: 'Enabled', aliases: [] });
    expect(inv.keyState(KEY2_ARN)!.aliases).toEqual(['alias/orders']);
  });

  it('failed calls change no state', () => {
    const states = reduceKeyInventory([LIFE[0]!, LIFE[8]!]);
    expect(states[0]).toMatchObject({ state: 'Enabled', updatedAt: '2025-05-21T06:00:00.000Z' });
  });

  it('CancelKeyDeletion leaves the key disabled; DeleteKey ends it', () => {
    const cancel = accept(kmsApiCall({ eventName: 'CancelKeyDeletion', label: 'cancel', eventTime: at(20), requestParameters: { keyId: KEY2_ID }, resources: [keyResource(KEY2_ARN)] }));
    expect(reduceKeyInventory([...LIFE, cancel]).find((s) => s.keyArn === KEY2_ARN)).toMatchObject({ state: 'Disabled', deletionDate: null });
    const del = accept(kmsServiceEvent({ eventName: 'DeleteKey', label: 'delete', eventTime: at(30), resources: [keyResource(KEY2_ARN)] }));
    expect(reduceKeyInventory([...LIFE, del]).find((s) => s.keyArn === KEY2_ARN)).toMatchObject({ state: 'Deleted', deletionDate: '2025-05-28T06:14:00.000Z' });
  });

  it('imported key material: created PendingImport, enabled by ImportKeyMaterial, back to PendingImport when deleted', () => {
    const create = accept(kmsApiCall({ eventName: 'CreateKey', label: 'ext', eventTime: at(0), requestParameters: { origin: 'EXTERNAL' }, responseElements: { keyMetadata: { keyId: KEY_ID, arn: KEY_ARN, keyState: 'PendingImport', origin: 'EXTERNAL' } } }));
    const imp = accept(kmsApiCall({ eventName: 'ImportKeyMaterial', label: 'imp', eventTime: at(2), requestParameters: { keyId: KEY_ID, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', importType: 'NEW_KEY_MATERIAL' }, responseElements: { keyId: KEY_ARN, keyMaterialId: MATERIAL_B } }));
    const del = accept(kmsApiCall({ eventName: 'DeleteImportedKeyMaterial', label: 'del-mat', eventTime: at(4), requestParameters: { keyId: KEY_ID, keyMaterialId: MATERIAL_B } }));
    expect(reduceKeyInventory([create])[0]).toMatchObject({ state: 'PendingImport', currentVersion: null });
    expect(reduceKeyInventory([create, imp])[0]).toMatchObject({ state: 'Enabled', currentVersion: MATERIAL_B, versions: [MATERIAL_B] });
    expect(reduceKeyInventory([del, imp, create])[0]).toMatchObject({ state: 'PendingImport', versions: [MATERIAL_B] });
  });

  it('ReplicateKey adds the replica in its Region, with its primary', () => {
    const replicaArn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${MRK_ID}`;
    const rep = accept(kmsApiCall({ eventName: 'ReplicateKey', label: 'rep', eventTime: at(3), requestParameters: { keyId: MRK_ARN, replicaRegion: 'eu-west-1' }, resources: [keyResource(MRK_ARN)],
      responseElements: { replicaKeyMetadata: { keyId: MRK_ID, arn: replicaArn, keyState: 'Creating', multiRegion: true } } }));
    const replica = reduceKeyInventory([rep]).find((s) => s.keyArn === replicaArn);
    expect(replica).toMatchObject({ region: 'eu-west-1', state: 'Enabled', primaryKeyArn: MRK_ARN, createdAt: '2025-05-21T06:03:00.000Z' });
  });

  it('RotateKeyOnDemand marks the rotation; its RotateKey event brings the versions', () => {
    const onDemand = accept(kmsApiCall({ eventName: 'RotateKeyOnDemand', label: 'ondemand', eventTime: at(40), responseElements: { keyId: KEY_ID } }));
    const rotate = accept(kmsServiceEvent({ eventName: 'RotateKey', label: 'rotate-od', eventTime: at(40), serviceEventDetails: { rotationType: 'ON_DEMAND', keyOrigin: 'AWS_KMS', previousKeyMaterialId: MATERIAL_B, currentKeyMaterialId: 'c'.repeat(64) } }));
    const s = reduceKeyInventory([...LIFE, rotate, onDemand]).find((x) => x.keyArn === KEY_ARN)!;
    expect(s).toMatchObject({ lastRotatedAt: '2025-05-21T06:40:00.000Z', currentVersion: 'c'.repeat(64), versions: [MATERIAL_A, MATERIAL_B, 'c'.repeat(64)] });
  });

  it('a ReEncrypt uses both keys: the source key and version are used too', () => {
    const re = accept(kmsApiCall({ eventName: 'ReEncrypt', label: 're', eventTime: at(50), requestParameters: { destinationKeyId: KEY2_ID, sourceEncryptionContext: { a: 'b' } },
      additionalEventData: { sourceKeyMaterialId: MATERIAL_A, destinationKeyMaterialId: MATERIAL_B }, resources: [keyResource(KEY_ARN), keyResource(KEY2_ARN)], readOnly: true }));
    const states = reduceKeyInventory([re]);
    expect(states.find((s) => s.keyArn === KEY_ARN)).toMatchObject({ lastUsedAt: '2025-05-21T06:50:00.000Z', versions: [MATERIAL_A], currentVersion: null });
    expect(states.find((s) => s.keyArn === KEY2_ARN)).toMatchObject({ lastUsedAt: '2025-05-21T06:50:00.000Z', versions: [MATERIAL_B], currentVersion: MATERIAL_B });
  });
});
