import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../lib/model/alert';
import type { DekRecord } from '../../lib/model/dek-record';
import type { KeyState } from '../../lib/model/key-state';
import type { Store, WriteBatch } from '../../lib/store/types';
import { makeDekRecord } from '../support/event-fixtures';
import { generateAuditEvents, generateOperations } from '../support/key-operation-generator';
import { dumpTables, openTempStore } from '../support/temp-store';
import { failureBreakdown } from '../../lib/questions/registry';

const T0 = Date.UTC(2026, 2, 1);
const range = { fromMs: T0, toMs: T0 + 3_600_000 };
let store: Store;
let path: string;
let cleanup: () => Promise<void>;
let now = T0 + 7_200_000;

beforeEach(async () => {
  ({ store, path, cleanup } = await openTempStore(() => now));
});
afterEach(() => cleanup());

const keyState = (updatedAt: string, state: KeyState['state'] = 'Enabled'): KeyState => ({
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k1', keyId: 'k1', accountId: '111122223333', region: 'us-east-1',
  aliases: ['alias/app'], state, rotationEnabled: true, rotationPeriodDays: 365, lastRotatedAt: null, currentVersion: 'v1',
  versions: ['v1'], createdAt: '2026-01-01T00:00:00Z', deletionDate: null, firstUsedAt: null, lastUsedAt: null, updatedAt,
});
const alert = (lastSeen: string, status: Alert['status'] = 'open'): Alert => ({
  id: 'slo-burn:unwrap-success', ruleId: 'slo-burn', severity: 'critical', subject: 'unwrap-success', title: 'Unwrap success burning',
  firstSeen: '2026-03-01T00:00:00Z', lastSeen, status, evidence: { burn1h: 20 },
});

describe('sqlite store writes', () => {
  it('stores a batch once: the same batch again counts duplicates and changes no row', async () => {
    const batch: WriteBatch = {
      source: 'intake-http',
      keyOperations: generateOperations(1, 500, range),
      auditEvents: generateAuditEvents(2, 100, range, 0.1),
      dekRecords: [0, 1, 2].map(makeDekRecord),
      deadLetters: [{ id: 'dl-1', receivedAt: '2026-03-01T00:10:00Z', source: 'intake-http', location: 'req-1:3', reason: 'bad json', payload: '{' }],
      keyStates: [keyState('2026-03-01T00:00:00Z')],
      alerts: [alert('2026-03-01T00:05:00Z')],
      checkpoints: [{ source: 'intake-http', key: 'cursor', value: { n: 1 } }],
    };
    const first = await store.writeBatch(batch);
    expect(first).toEqual({
      keyOperations: { inserted: 500, updated: 0, duplicates: 0 },
      auditEvents: { inserted: 100, updated: 0, duplicates: 0 },
      dekRecords: { inserted: 3, updated: 0, duplicates: 0 },
      deadLetters: { inserted: 1, updated: 0, duplicates: 0 },
      keyStates: { inserted: 1, updated: 0, duplicates: 0 },
      alerts: { inserted: 1, updated: 0, duplicates: 0 },
      checkpoints: 1,
    });
    const before = dumpTables(path);
    const second = await store.writeBatch(batch);
    expect(second).toEqual({
      keyOperations: { inserted: 0, updated: 0, duplicates: 500 },
      auditEvents: { inserted: 0, updated: 0, duplicates: 100 },
      dekRecords: { inserted: 0, updated: 0, duplicates: 3 },
      deadLetters: { inserted: 0, updated: 0, duplicates: 1 },
      keyStates: { inserted: 0, updated: 0, duplicates: 1 },
      alerts: { inserted: 0, updated: 0, duplicates: 1 },
      checkpoints: 1,
    });
    const after = dumpTables(path);
    // Rollups included: a replay must not count operations twice. Only write-time marks move.
    for (const table of Object.keys(before)) {
      if (table === 'ingest_sources' || table === 'checkpoints') continue;
      expect(after[table], table).toEqual(before[table]);
    }
    expect((after.key_operations as unknown[]).length).toBe(500);
  });

  it('counts a duplicate inside one batch once', async () => {
    const ops = generateOperations(3, 10, range);
    const r = await store.writeBatch({ keyOperations: [...ops, ops[0]!, ops[1]!] });
    expect(r.keyOperations).toEqual({ inserted: 10, updated: 0, duplicates: 2 });
  });

  it('lets a later DekRecord.updatedAt supersede an earlier one, never the reverse', async () => {
    const v1: DekRecord = makeDekRecord(7);
    const v2: DekRecord = { ...v1, kekVersion: 'v2', rotationStatus: 'rewrapped', updatedAt: '2026-03-02T00:00:00.000Z' };
    const sameTimeOther: DekRecord = { ...v1, rotationStatus: 'compromised' };
    expect((await store.writeBatch({ dekRecords: [v1] })).dekRecords).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect((await store.writeBatch({ dekRecords: [v2] })).dekRecords).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    // Older and equal updatedAt arrive late (a replay, a reordered file): both ignored.
    expect((await store.writeBatch({ dekRecords: [v1, sameTimeOther] })).dekRecords).toEqual({ inserted: 0, updated: 0, duplicates: 2 });
    const rows = dumpTables(path).dek_records as Array<{ object_id: string; rotation_status: string; updated_at_ms: number }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ object_id: v1.objectId, rotation_status: 'rewrapped', updated_at_ms: Date.parse(v2.updatedAt) });
    // Within one batch the newest wins whatever the order.
    const v3 = { ...v1, objectId: 'obj-new', updatedAt: '2026-03-03T00:00:00.000Z', rotationStatus: 'current' as const };
    const v4 = { ...v3, updatedAt: '2026-03-04T00:00:00.000Z', rotationStatus: 'pending_rewrap' as const };
    expect((await store.writeBatch({ dekRecords: [v4, v3] })).dekRecords).toEqual({ inserted: 1, updated: 0, duplicates: 1 });
  });

  it('upserts key states by ARN and alerts by id', async () => {
    await store.writeBatch({ keyStates: [keyState('2026-03-01T00:00:00Z')], alerts: [alert('2026-03-01T00:05:00Z')] });
    const r = await store.writeBatch({ keyStates: [keyState('2026-03-01T01:00:00Z', 'Disabled')], alerts: [alert('2026-03-01T00:10:00Z', 'acknowledged')] });
    expect(r.keyStates).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect(r.alerts).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    // A stale key state does not overwrite a newer one.
    expect((await store.writeBatch({ keyStates: [keyState('2026-03-01T00:30:00Z')] })).keyStates.duplicates).toBe(1);
    const t = dumpTables(path);
    expect(JSON.parse((t.key_states as Array<{ doc: string }>)[0]!.doc).state).toBe('Disabled');
    expect(t.alerts).toHaveLength(1);
    expect((t.alerts as Array<{ status: string }>)[0]!.status).toBe('acknowledged');
  });

  it('commits checkpoints with their batch, and neither when the batch fails', async () => {
    const ops = generateOperations(4, 20, range);
    await store.writeBatch({ keyOperations: ops.slice(0, 10), checkpoints: [{ source: 'files', key: 'us-east-1', value: 'file-1' }] });
    expect(await store.getCheckpoint('files', 'us-east-1')).toBe('file-1');
    const bad = { ...ops[15]!, id: 'not-a-uuid' };
    await expect(
      store.writeBatch({ keyOperations: [...ops.slice(10, 15), bad], checkpoints: [{ source: 'files', key: 'us-east-1', value: 'file-2' }] }),
    ).rejects.toThrow(/not a UUID/);
    expect(await store.getCheckpoint('files', 'us-east-1')).toBe('file-1');
    expect(dumpTables(path).key_operations).toHaveLength(10);
    // The writer is still usable, and its interned ids are still right after the rollback.
    const r = await store.writeBatch({ keyOperations: ops.slice(10), checkpoints: [{ source: 'files', key: 'us-east-1', value: 'file-2' }] });
    expect(r.keyOperations.inserted).toBe(10);
    expect(await store.getCheckpoint('files', 'us-east-1')).toBe('file-2');
    const s = await store.answer(failureBreakdown, { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), by: 'service', limit: 10, filters: {} });
    expect(s.total).toBe(ops.filter((o) => o.outcome === 'failure').length);
  });

  it('lists checkpoints of one source with their write time, and null for unknown ones', async () => {
    now = Date.UTC(2026, 2, 5, 12);
    await store.writeBatch({ checkpoints: [
      { source: 'api', key: 'us-east-1', value: { nextToken: 'abc', end: '2026-03-05T12:00:00Z' } },
      { source: 'api', key: 'eu-west-1', value: 42 },
      { source: 'files', key: 'x', value: [1, 'two', null] },
    ] });
    expect(await store.getCheckpoint('api', 'nope')).toBeNull();
    expect(await store.listCheckpoints('api')).toEqual([
      { source: 'api', key: 'eu-west-1', value: 42, updatedAt: '2026-03-05T12:00:00.000Z' },
      { source: 'api', key: 'us-east-1', value: { nextToken: 'abc', end: '2026-03-05T12:00:00Z' }, updatedAt: '2026-03-05T12:00:00.000Z' },
    ]);
    expect(await store.getCheckpoint('files', 'x')).toEqual([1, 'two', null]);
  });

  it('refuses use after close', async () => {
    await store.close();
    await expect(store.writeBatch({})).rejects.toThrow(/closed/);
    await expect(store.getCheckpoint('a', 'b')).rejects.toThrow(/closed/);
  });
});
