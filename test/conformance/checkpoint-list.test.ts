import { afterEach, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../lib/store/types';
import { BACKENDS, openEmptyStore, type OpenedStore } from './support/backends';

const opened: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.cleanup()));
});

describe.each(BACKENDS)('%s: listCheckpoints', (backend) => {
  it('returns every checkpoint of a source in key order, past one search page (5,000; a search returns at most 10,000 hits, and a trail has more files)', async () => {
    const o = await openEmptyStore(backend, () => Date.UTC(2026, 0, 3));
    opened.push(o);
    const n = 5_100;
    const key = (i: number) => `/trail/file-${String(i).padStart(6, '0')}.json.gz`;
    const checkpoints: Checkpoint[] = Array.from({ length: n }, (_, i) => ({ source: 'cloudtrail-files', key: key(i), value: { size: i } }));
    for (let i = 0; i < n; i += 5_100) await o.store.writeBatch({ checkpoints: checkpoints.slice(i, i + 5_100) });
    await o.store.writeBatch({ checkpoints: [{ source: 'other', key: '/x', value: 1 }] });
    const listed = await o.store.listCheckpoints('cloudtrail-files');
    expect(listed).toHaveLength(n);
    expect(listed.map((c) => c.key)).toEqual(checkpoints.map((c) => c.key));
    expect(listed[n - 1]!.value).toEqual({ size: n - 1 });
  }, 120_000);
});
