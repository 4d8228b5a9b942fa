import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KeyState } from '../../lib/model/key-state';
import { normalizeKeyState } from '../../lib/model/key-state-merge';
import { openStore } from '../../lib/store';
import type { BulkOptions } from '../../lib/store/elasticsearch/bulk-writer';
import { KEY_STATE_ATTEMPTS, writeKeyStates } from '../../lib/store/elasticsearch/key-state-writer';
import { IndexNames } from '../../lib/store/elasticsearch/names';
import { DEFAULT_RETRY } from '../../lib/store/elasticsearch/retry';
import type { Store, WriteCounts } from '../../lib/store/types';
import { elasticsearchConfig, randomPrefix } from '../conformance/support/backends';

/* The read-merge-write of a key state against a writer that gets in between (if_seq_no, 409, re-read). */
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/7a7a7a7a-1111-2222-3333-444455556666';
const at = (min: number) => new Date(Date.UTC(2026, 2, 1, 12, min)).toISOString();
const base = (): KeyState => normalizeKeyState({
  keyArn: KEY_ARN, keyId: '7a7a7a7a-1111-2222-3333-444455556666', accountId: '111122223333', region: 'us-east-1', aliases: [], state: 'Unknown',
  rotationEnabled: null, rotationPeriodDays: null, lastRotatedAt: null, currentVersion: null, versions: [], createdAt: null,
  deletionDate: null, firstUsedAt: null, lastUsedAt: null, updatedAt: at(0),
});

const url = inject('elasticsearchUrl');
const client = new Client({ node: url });
const prefix = randomPrefix();
const index = new IndexNames(prefix).entity('key-states');
let other: Store;
const bulk: BulkOptions = { maxBytes: 1 << 20, concurrency: 1, retry: { ...DEFAULT_RETRY, deadlineMs: 30_000, sleep: async () => {} } };
const zero = (): WriteCounts => ({ inserted: 0, updated: 0, duplicates: 0 });
/** The stored state, read in real time (a search would wait for a refresh). */
const storedState = async (arn: string): Promise<KeyState> =>
  (await client.get<{ keyscope: { record: KeyState } }>({ index, id: arn }))._source!.keyscope.record;

/** The real client, with `between` run after each mget returns: another writer's write lands between this one's read and its write. */
function racedClient(between: () => Promise<void>): Client {
  return new Proxy(client, {
    get(target, p) {
      if (p === 'mget') {
        return async (...args: Parameters<Client['mget']>) => {
          const res = await target.mget(...args);
          await between();
          return res;
        };
      }
      const v = Reflect.get(target, p, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

beforeAll(async () => {
  other = await openStore({ backend: 'elasticsearch', elasticsearch: elasticsearchConfig(prefix) }, { elasticsearch: { retry: { deadlineMs: 30_000 } } });
});
afterAll(async () => {
  await other.close();
  await client.close();
});

describe('elasticsearch key states: optimistic concurrency', () => {
  it('a write that loses the race (409 on if_seq_no) re-reads, merges again and keeps both writers\u2019 facts', async () => {
    await other.writeBatch({ keyStates: [{ ...base(), policyUpdatedAt: at(1), updatedAt: at(1) }] });
    let raced = 0;
    const raced1 = racedClient(async () => {
      // Only the first read is overtaken: the retry must see this write.
      if (raced++ === 0) await other.writeBatch({ keyStates: [{ ...base(), state: 'Disabled', asOf: { ...base().asOf!, state: at(2) }, updatedAt: at(2) }] });
    });
    const counts = zero();
    const mine = { ...base(), rotationEnabled: true, rotationPeriodDays: 180, asOf: { ...base().asOf!, rotation: at(3) }, updatedAt: at(3) };
    expect(await writeKeyStates(raced1, index, [mine], bulk, counts)).toEqual([]);
    expect(raced).toBe(2);
    expect(counts).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect(await storedState(KEY_ARN)).toMatchObject({ state: 'Disabled', rotationEnabled: true, rotationPeriodDays: 180, policyUpdatedAt: at(1), updatedAt: at(3) });
  });

  it('two writers creating one key at once: the second create gets 409 and merges into the first', async () => {
    const arn = KEY_ARN.replace('7a7a7a7a', '7b7b7b7b');
    const fresh = (k: KeyState): KeyState => ({ ...k, keyArn: arn, keyId: arn.split('/')[1]! });
    let raced = 0;
    const c = racedClient(async () => {
      if (raced++ === 0) await other.writeBatch({ keyStates: [fresh({ ...base(), lastUsedAt: at(5), updatedAt: at(5) })] });
    });
    const counts = zero();
    await writeKeyStates(c, index, [fresh({ ...base(), createdAt: at(0) })], bulk, counts);
    expect(counts).toEqual({ inserted: 0, updated: 1, duplicates: 0 });
    expect(await storedState(arn)).toMatchObject({ createdAt: at(0), lastUsedAt: at(5) });
  });

  it('a key that changes under every attempt fails the write with a clear error after a bounded number of tries', async () => {
    let n = 0;
    const c = racedClient(async () => {
      n++;
      await other.writeBatch({ keyStates: [{ ...base(), lastUsedAt: at(10 + n), updatedAt: at(10 + n) }] });
    });
    await expect(writeKeyStates(c, index, [{ ...base(), lastRotatedAt: at(9) }], bulk, zero()))
      .rejects.toThrow(new RegExp(`1 key state\\(s\\) \\(${KEY_ARN}\\) changed under this write ${KEY_STATE_ATTEMPTS} times in a row \\(409 on if_seq_no\\)`));
    expect(n).toBe(KEY_STATE_ATTEMPTS);
  });
});
