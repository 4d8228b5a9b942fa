import { describe, expect, it } from 'vitest';
import { KeyInventory } from '../../lib/inventory/key-inventory';
import { KEY_ARN, MATERIAL_A, identities, kmsApiCall } from '../support/cloudtrail-fixtures';
import { accept } from '../support/normalize-helpers';
import { openTempStore } from '../support/temp-store';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const use = (ms: number, kind: 'Decrypt' | 'GenerateDataKey' | 'DescribeKey' = 'Decrypt') => accept(kmsApiCall({
  eventName: kind, label: `${kind}-${ms}`, eventTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'), userIdentity: identities.assumedRole(),
  requestParameters: {}, additionalEventData: kind === 'DescribeKey' ? undefined : { keyMaterialId: MATERIAL_A }, readOnly: true,
}));

describe('a busy key is written once a minute, not every batch', () => {
  it('uses within the minute already recorded change nothing; the next minute does', async () => {
    const inv = new KeyInventory();
    const temp = await openTempStore();
    try {
      const write = async (changed: Set<string>) => (await temp.store.writeBatch({ keyStates: inv.keyStates(changed) })).keyStates;
      expect(await write(inv.applyEvents([use(T0 + 5_000, 'GenerateDataKey')]))).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
      expect(inv.keyState(KEY_ARN)).toMatchObject({ lastUsedAt: '2026-03-01T12:00:00.000Z', firstUsedAt: '2026-03-01T12:00:05.000Z', currentVersion: MATERIAL_A });
      // Batch after batch of calls in the same minute: no state changes, nothing to write.
      for (let s = 6; s < 60; s += 6) {
        expect(inv.applyEvents([use(T0 + s * 1000), use(T0 + s * 1000 + 500, 'GenerateDataKey'), use(T0 + s * 1000 + 700, 'DescribeKey')]).size).toBe(0);
      }
      // A writer that holds the ms-resolution time (another process, an older version) changes nothing in the store either.
      const ms = { ...inv.keyState(KEY_ARN)!, lastUsedAt: '2026-03-01T12:00:59.999Z' };
      expect((await temp.store.writeBatch({ keyStates: [ms] })).keyStates).toEqual({ inserted: 0, updated: 0, duplicates: 1 });
      const next = inv.applyEvents([use(T0 + 61_000)]);
      expect([...next]).toEqual([KEY_ARN]);
      expect(await write(next)).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
      expect((await temp.store.keyStates())[0]).toMatchObject({ lastUsedAt: '2026-03-01T12:01:00.000Z', updatedAt: '2026-03-01T12:01:00.000Z' });
    } finally {
      await temp.cleanup();
    }
  });
});
