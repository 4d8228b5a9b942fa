import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../lib/model/alert';
import type { DeadLetter } from '../../lib/model/dead-letter';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { onCallFixture } from '../support/on-call-fixture';
import { BACKENDS, openEmptyStore, type OpenedStore } from './support/backends';
import { ingestHealth } from '../../lib/questions/registry';

/*
 * The write contract every backend keeps (lib/store/types.ts): idempotent by record id,
 * the same counts for the same batches, checkpoints that read back as written.
 */
const NOW = Date.UTC(2026, 0, 3);
const opened: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.cleanup()));
});
async function open(backend: (typeof BACKENDS)[number]): Promise<OpenedStore> {
  const o = await openEmptyStore(backend, () => NOW);
  opened.push(o);
  return o;
}

const alert = (status: Alert['status'], lastSeen: string): Alert => ({
  id: 'slo-burn:unwrap-success:1', ruleId: 'slo-burn-rate', severity: 'critical', subject: 'unwrap-success',
  title: 'Unwrap success burning error budget', firstSeen: '2026-01-02T03:00:00.000Z', lastSeen, status, evidence: { burnRate1h: 15.2 },
});
const letter = (i: number): DeadLetter => ({
  id: `cloudtrail-files:f${i}.json.gz:${i}`, receivedAt: new Date(NOW - i * 1000).toISOString(), source: i % 2 ? 'cloudtrail-files' : 'intake-http',
  location: `f${i}.json.gz#${i}`, reason: 'eventTime: Invalid ISO datetime', payload: '{"eventTime":"yesterday"}',
});

describe.each(BACKENDS)('%s store writes', (backend) => {
  it('stores each record once however often the batch is replayed', async () => {
    const { store } = await open(backend);
    const { ops, audit } = onCallFixture();
    const batch = { source: 'replay', keyOperations: ops.slice(0, 500), auditEvents: audit.slice(0, 200), dekRecords: [makeDekRecord(1), makeDekRecord(2)], deadLetters: [letter(1)] };
    const first = await store.writeBatch(batch);
    expect(first.keyOperations).toEqual({ inserted: 500, updated: 0, duplicates: 0 });
    expect(first.auditEvents).toEqual({ inserted: 200, updated: 0, duplicates: 0 });
    expect(first.dekRecords).toEqual({ inserted: 2, updated: 0, duplicates: 0 });
    expect(first.deadLetters).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    const again = await store.writeBatch(batch);
    expect(again.keyOperations).toEqual({ inserted: 0, updated: 0, duplicates: 500 });
    expect(again.auditEvents).toEqual({ inserted: 0, updated: 0, duplicates: 200 });
    expect(again.dekRecords).toEqual({ inserted: 0, updated: 0, duplicates: 2 });
    expect(again.deadLetters).toEqual({ inserted: 0, updated: 0, duplicates: 1 });
    const health = await store.answer(ingestHealth, { from: new Date(NOW - 86_400_000).toISOString(), to: new Date(NOW).toISOString(), latest: 5 });
    // Replays add nothing: the source's record count is what was newly stored.
    expect(health.sources.find((s) => s.source === 'replay' && s.kind === 'keyOperation')?.records).toBe(500);
    expect(health.deadLetters.total).toBe(1);
  });

  it('lets a later DEK record supersede and keeps the stored one against the same or an older one', async () => {
    const { store } = await open(backend);
    const v1 = makeDekRecord(7);
    const v2 = { ...v1, kekVersion: 'rotated-material', rotationStatus: 'rewrapped' as const, updatedAt: new Date(Date.parse(v1.updatedAt) + 60_000).toISOString() };
    expect((await store.writeBatch({ dekRecords: [v1] })).dekRecords).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect((await store.writeBatch({ dekRecords: [v2] })).dekRecords).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect((await store.writeBatch({ dekRecords: [v1] })).dekRecords).toEqual({ inserted: 0, updated: 0, duplicates: 1 });
    expect((await store.writeBatch({ dekRecords: [v2] })).dekRecords).toEqual({ inserted: 0, updated: 0, duplicates: 1 });
  });

  it('rewrites an alert when it changes and counts an identical rewrite as a duplicate', async () => {
    const { store } = await open(backend);
    const open1 = alert('open', '2026-01-02T03:05:00.000Z');
    expect((await store.writeBatch({ alerts: [open1] })).alerts).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect((await store.writeBatch({ alerts: [open1] })).alerts).toEqual({ inserted: 0, updated: 0, duplicates: 1 });
    expect((await store.writeBatch({ alerts: [alert('resolved', '2026-01-02T03:35:00.000Z')] })).alerts).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
  });

  it('reads checkpoints back as written, per source, sorted by key, with unicode and nested values', async () => {
    const { store } = await open(backend);
    expect(await store.getCheckpoint('cloudtrail-files', 'us-east-1')).toBeNull();
    const value = { file: 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/ü-€-日本.json.gz', offset: 42, done: ['a', 'b'], nested: { ok: true, n: null } };
    const res = await store.writeBatch({
      keyOperations: [makeOperation(1)],
      checkpoints: [
        { source: 'cloudtrail-files', key: 'us-east-1', value },
        { source: 'cloudtrail-files', key: 'eu-west-1', value: 17 },
        { source: 'cloudtrail-api', key: '111122223333/us-east-1', value: '2026-01-02T03:04:05Z' },
      ],
    });
    expect(res.checkpoints).toBe(3);
    expect(await store.getCheckpoint('cloudtrail-files', 'us-east-1')).toEqual(value);
    const list = await store.listCheckpoints('cloudtrail-files');
    expect(list.map((c) => [c.key, c.value])).toEqual([['eu-west-1', 17], ['us-east-1', value]]);
    expect(list.every((c) => c.updatedAt === new Date(NOW).toISOString())).toBe(true);
    await store.writeBatch({ checkpoints: [{ source: 'cloudtrail-files', key: 'eu-west-1', value: 18 }] });
    expect(await store.getCheckpoint('cloudtrail-files', 'eu-west-1')).toBe(18);
  });

  it('keeps a record id longer than any index key limit distinct and idempotent', async () => {
    const { store } = await open(backend);
    const base = makeDekRecord(3);
    const longA = { ...base, objectId: `${'o'.repeat(900)}-a` };
    const longB = { ...base, objectId: `${'o'.repeat(900)}-b` };
    expect((await store.writeBatch({ dekRecords: [longA, longB] })).dekRecords).toEqual({ inserted: 2, updated: 0, duplicates: 0 });
    expect((await store.writeBatch({ dekRecords: [longA, longB] })).dekRecords).toEqual({ inserted: 0, updated: 0, duplicates: 2 });
  });

  it('lists dead letters newest first with their reason', async () => {
    const { store } = await open(backend);
    await store.writeBatch({ deadLetters: [letter(1), letter(2), letter(3)] });
    const h = await store.answer(ingestHealth, { from: new Date(NOW - 1500).toISOString(), to: new Date(NOW).toISOString(), latest: 2 });
    expect(h.deadLetters.total).toBe(3);
    expect(h.deadLetters.inRange).toBe(1);
    expect(h.deadLetters.bySource).toEqual([{ source: 'cloudtrail-files', total: 2, inRange: 1 }, { source: 'intake-http', total: 1, inRange: 0 }]);
    expect(h.deadLetters.latest.map((d) => d.id)).toEqual([letter(1).id, letter(2).id]);
    expect(h.deadLetters.latest[0]!.reason).toBe('eventTime: Invalid ISO datetime');
  });
});
