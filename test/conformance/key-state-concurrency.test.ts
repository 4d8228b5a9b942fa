import { afterEach, describe, expect, it } from 'vitest';
import type { KeyState } from '../../lib/model/key-state';
import { openStore } from '../../lib/store';
import { createClient } from '../../lib/store/elasticsearch/connect';
import { ElasticsearchStore } from '../../lib/store/elasticsearch/elasticsearch-store';
import { DEFAULT_RETRY } from '../../lib/store/elasticsearch/retry';
import type { Store } from '../../lib/store/types';
import { tempDbPath } from '../support/temp-store';
import { BACKENDS, elasticsearchConfig, randomPrefix, type BackendName } from './support/backends';

/* Store writes merge key states per fact: N writers, each with its own connection and its own fact of one key, at once. */
const ACCT = '111122223333';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCT}:key/0f0e0d0c-1111-2222-3333-444455556666`;
const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

const empty = (updatedMin: number): KeyState => ({
  keyArn: KEY_ARN, keyId: '0f0e0d0c-1111-2222-3333-444455556666', accountId: ACCT, region: 'us-east-1', aliases: [], state: 'Unknown',
  rotationEnabled: null, rotationPeriodDays: null, lastRotatedAt: null, currentVersion: null, versions: [], createdAt: null,
  deletionDate: null, firstUsedAt: null, lastUsedAt: null, policyUpdatedAt: null, primaryKeyArn: null,
  asOf: { state: null, rotation: null, currentVersion: null, versions: {}, aliases: {}, createdAt: null, primaryKeyArn: null },
  updatedAt: at(updatedMin),
});

/** Writer i's one fact (plus a version of its own), as of minute `m`: what a writer that knows nothing else would write. */
const FACTS: Array<(m: number) => KeyState> = [
  (m) => ({ ...empty(m), state: 'Disabled', asOf: { ...empty(m).asOf!, state: at(m) } }),
  (m) => ({ ...empty(m), rotationEnabled: true, rotationPeriodDays: 90, asOf: { ...empty(m).asOf!, rotation: at(m) } }),
  (m) => ({ ...empty(m), aliases: ['alias/orders'], asOf: { ...empty(m).asOf!, aliases: { 'alias/orders': at(m) } } }),
  (m) => ({ ...empty(m), policyUpdatedAt: at(m) }),
  (m) => ({ ...empty(m), firstUsedAt: at(-m), lastUsedAt: at(m) }),
  (m) => ({ ...empty(m), createdAt: at(-100), asOf: { ...empty(m).asOf!, createdAt: at(m) } }),
  (m) => ({ ...empty(m), primaryKeyArn: `arn:aws:kms:eu-west-1:${ACCT}:key/mrk-1`, asOf: { ...empty(m).asOf!, primaryKeyArn: at(m) } }),
  (m) => ({ ...empty(m), currentVersion: 'cv', versions: ['cv'], asOf: { ...empty(m).asOf!, currentVersion: at(m), versions: { cv: at(m) } } }),
];
const ROUNDS = 4;

const withVersion = (k: KeyState, v: string, m: number): KeyState => ({
  ...k, versions: [...k.versions, v], asOf: { ...k.asOf!, versions: { ...k.asOf!.versions, [v]: at(m) } },
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** N stores on one database or index prefix: separate connections (sqlite) or clients (Elasticsearch). */
async function openWriters(backend: BackendName, n: number): Promise<Store[]> {
  const stores: Store[] = [];
  if (backend === 'sqlite') {
    const db = tempDbPath();
    closers.push(async () => db.cleanup());
    for (let i = 0; i < n; i++) stores.push(await openStore({ backend: 'sqlite', sqlitePath: db.path }));
  } else {
    const config = elasticsearchConfig(randomPrefix());
    const retry = { ...DEFAULT_RETRY, deadlineMs: 30_000 };
    // The first installs the templates; the others are writers with their own clients that skip installing them again.
    stores.push(await openStore({ backend: 'elasticsearch', elasticsearch: config }, { elasticsearch: { retry } }));
    for (let i = 1; i < n; i++) stores.push(new ElasticsearchStore(createClient(config), { config, mode: 'readwrite', clock: Date.now, retry }));
  }
  for (const s of stores) closers.push(() => s.close());
  return stores;
}

describe.each(BACKENDS)('%s store: key states written by several writers at once', (backend) => {
  it('N concurrent writers each contribute a different fact of one key; the stored state holds all of them', async () => {
    const writers = await openWriters(backend, FACTS.length);
    const results = await Promise.all(writers.map(async (store, i) => {
      const counts = { inserted: 0, updated: 0, duplicates: 0 };
      for (let r = 1; r <= ROUNDS; r++) {
        const res = await store.writeBatch({ source: `writer-${i}`, keyStates: [withVersion(FACTS[i]!(r), `v${i}`, i)] });
        for (const k of ['inserted', 'updated', 'duplicates'] as const) counts[k] += res.keyStates[k];
      }
      return counts;
    }));
    // Every write is counted once; exactly one of them created the document.
    expect(results.reduce((n, c) => n + c.inserted + c.updated + c.duplicates, 0)).toBe(FACTS.length * ROUNDS);
    expect(results.reduce((n, c) => n + c.inserted, 0)).toBe(1);

    // Searches see what was written once the index refreshes.
    if (writers[0] instanceof ElasticsearchStore) await writers[0].refresh();
    const [stored] = await writers[0]!.keyStates();
    expect(stored).toMatchObject({
      keyArn: KEY_ARN, state: 'Disabled', rotationEnabled: true, rotationPeriodDays: 90, aliases: ['alias/orders'],
      policyUpdatedAt: at(ROUNDS), firstUsedAt: at(-ROUNDS), lastUsedAt: at(ROUNDS), createdAt: at(-100),
      primaryKeyArn: `arn:aws:kms:eu-west-1:${ACCT}:key/mrk-1`, currentVersion: 'cv', updatedAt: at(ROUNDS),
    });
    expect([...stored!.versions].sort()).toEqual(['cv', ...FACTS.map((_, i) => `v${i}`)].sort());
    expect(stored!.asOf).toMatchObject({ state: at(ROUNDS), rotation: at(ROUNDS), createdAt: at(ROUNDS), aliases: { 'alias/orders': at(ROUNDS) } });

    // Writing any of them again changes nothing.
    const again = await writers[1]!.writeBatch({ keyStates: FACTS.map((f, i) => withVersion(f(1), `v${i}`, i)) });
    expect(again.keyStates).toEqual({ inserted: 0, updated: 0, duplicates: FACTS.length });
  });
});
