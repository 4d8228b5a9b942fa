import { afterEach, describe, expect, it } from 'vitest';
import { prefixUpperBound } from '../../lib/store/sqlite/delete-checkpoints';
import { BACKENDS, openEmptyStore, type OpenedStore } from './support/backends';

/* Store.deleteCheckpoints: by key prefix, within one source, on every backend. */
const NOW = Date.UTC(2026, 0, 3);
const opened: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.cleanup()));
});

const DAY1 = '/t/AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/01/';
const DAY2 = '/t/AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/';

describe.each(BACKENDS)('%s store: deleting checkpoints by key prefix', (backend) => {
  it('deletes the keys under each prefix of that source only, and counts them', async () => {
    const o = await openEmptyStore(backend, () => NOW);
    opened.push(o);
    const { store } = o;
    const keys = [`${DAY1}a.json.gz`, `${DAY1}b.json.gz`, `${DAY2}c.json.gz`, `${DAY1.slice(0, -1)}0/x.json.gz`, 'cursor:/t/AWSLogs/111122223333/CloudTrail/us-east-1'];
    await store.writeBatch({
      checkpoints: [
        ...keys.map((key) => ({ source: 'cloudtrail-files', key, value: 1 })),
        { source: 'ndjson-files', key: `${DAY1}a.json.gz`, value: 1 },
      ],
    });
    // Written just now (no refresh between): deleted too.
    expect(await store.deleteCheckpoints('cloudtrail-files', [DAY1, '/nowhere/'])).toBe(2);
    expect((await store.listCheckpoints('cloudtrail-files')).map((c) => c.key)).toEqual([...keys.slice(2)].sort());
    expect(await store.getCheckpoint('ndjson-files', `${DAY1}a.json.gz`)).toBe(1);
    expect(await store.deleteCheckpoints('cloudtrail-files', [DAY1])).toBe(0);
    expect(await store.deleteCheckpoints('cloudtrail-files', [])).toBe(0);
    await expect(store.deleteCheckpoints('cloudtrail-files', [''])).rejects.toThrow(/empty key prefix/);
  });
});

describe('sqlite prefix range', () => {
  it('bounds every key that starts with the prefix and none other', () => {
    const hi = prefixUpperBound('/a/2026/01/01/')!;
    for (const k of ['/a/2026/01/01/', '/a/2026/01/01/z', '/a/2026/01/01/\u{10ffff}']) expect(k >= '/a/2026/01/01/' && k < hi).toBe(true);
    for (const k of ['/a/2026/01/010', '/a/2026/01/02/', '/a/2026/01/01']) expect(k >= '/a/2026/01/01/' && k < hi).toBe(false);
    expect(prefixUpperBound('')).toBeNull();
  });
});
