import { afterEach, describe, expect, it } from 'vitest';
import { makeDekRecord, makeOperation } from '../support/event-fixtures';
import { BACKENDS, openEmptyStore, type OpenedStore } from './support/backends';
import { ingestHealth } from '../../lib/questions/registry';

/*
 * Key operation ids are judged within the writer's scope (service, tenant): an emitter
 * cannot shadow another's operation by sending its id first, and the same emitter's
 * re-sends stay duplicates (docs/security.md, "Emitter tokens").
 */
const NOW = Date.UTC(2026, 0, 3);
const opened: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.cleanup()));
});

describe.each(BACKENDS)('%s store: operation ids within the writer scope', (backend) => {
  it('stores a real operation although a forged one with its id, from another service or tenant, came first', async () => {
    const o = await openEmptyStore(backend, () => NOW);
    opened.push(o);
    const real = makeOperation(1);
    const forged = { ...real, service: 'payments', latencyMs: 9999 };
    const otherTenant = { ...real, tenant: 'globex' };
    expect((await o.store.writeBatch({ source: 'forger', keyOperations: [forged] })).keyOperations).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect((await o.store.writeBatch({ source: 'billing', keyOperations: [real, otherTenant] })).keyOperations).toEqual({ inserted: 2, updated: 0, duplicates: 0 });
    // Re-sends by the same writers change nothing.
    expect((await o.store.writeBatch({ source: 'billing', keyOperations: [real, otherTenant, forged] })).keyOperations).toEqual({ inserted: 0, updated: 0, duplicates: 3 });
    const health = await o.store.answer(ingestHealth, { from: new Date(NOW - 86_400_000).toISOString(), to: new Date(NOW).toISOString(), latest: 5 });
    expect(health.sources.find((s) => s.source === 'billing' && s.kind === 'keyOperation')?.records).toBe(2);
  });
});

describe.each(BACKENDS)('%s store: DEK records within the writer scope', (backend) => {
  it("keeps a service's record of an object although another service wrote a newer one for the same object id", async () => {
    const o = await openEmptyStore(backend, () => NOW);
    opened.push(o);
    const v1 = makeDekRecord(7);
    const later = (ms: number) => new Date(Date.parse(v1.updatedAt) + ms).toISOString();
    const forged = { ...v1, service: 'payments', dekId: 'attacker-dek', updatedAt: later(86_400_000) };
    const v2 = { ...v1, kekVersion: 'rotated', rotationStatus: 'rewrapped' as const, updatedAt: later(60_000) };
    expect((await o.store.writeBatch({ dekRecords: [v1] })).dekRecords).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    // Another writer's record of the same object id is its own, not a newer version of billing's...
    expect((await o.store.writeBatch({ dekRecords: [forged] })).dekRecords).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    // ...so billing's own next version still supersedes billing's, though forged is dated later.
    expect((await o.store.writeBatch({ dekRecords: [v2] })).dekRecords).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect((await o.store.writeBatch({ dekRecords: [v1, v2, forged] })).dekRecords).toEqual({ inserted: 0, updated: 0, duplicates: 3 });
  });
});
