import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../ingest/log';
import { DeadLetterRetention } from '../../ingest/scheduler/dead-letter-retention';
import type { DeadLetter } from '../../lib/model/dead-letter';
import { BACKENDS, openEmptyStore, type OpenedStore } from './support/backends';
import { ingestHealth } from '../../lib/questions/registry';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const letter = (ageDays: number): DeadLetter => ({
  id: `retention-${ageDays}`, receivedAt: new Date(NOW - ageDays * DAY).toISOString(), source: 'intake-http',
  location: `request r line ${ageDays}`, reason: 'time: required', payload: '{"fields":["id"]}',
});

const opened: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.cleanup()));
});

describe.each(BACKENDS)('%s: dead letters past their retention', (backend) => {
  it('are deleted, the younger ones kept; a second pass deletes nothing', async () => {
    const o = await openEmptyStore(backend, () => NOW);
    opened.push(o);
    await o.store.writeBatch({ deadLetters: [0, 1, 29, 31, 45, 400].map(letter) });
    const passes: Array<{ deleted: number } | { error: Error }> = [];
    let resolve: () => void = () => undefined;
    const firstPass = new Promise<void>((r) => (resolve = r));
    const retention = new DeadLetterRetention({ store: o.store, retentionMs: 30 * DAY, logger: silentLogger(), clock: () => NOW, onPruned: (p) => (passes.push(p), resolve()) });
    retention.start();
    await firstPass;
    await retention.stop();
    expect(passes).toEqual([{ deleted: 3 }]);
    const health = await o.store.answer(ingestHealth, { from: new Date(NOW - 500 * DAY).toISOString(), to: new Date(NOW + DAY).toISOString(), latest: 10 });
    expect(health.deadLetters.total).toBe(3);
    expect(health.deadLetters.latest.map((d) => d.id).sort()).toEqual(['retention-0', 'retention-1', 'retention-29']);
    expect(await retention.pruneOnce(NOW)).toBe(0);
  });
});
