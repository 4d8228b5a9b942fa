import { Client } from '@elastic/elasticsearch';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../lib/store';
import { IndexNames } from '../../lib/store/elasticsearch/names';
import type { KeyOperation } from '../../lib/model/key-operation';
import { makeOperation } from '../support/event-fixtures';
import { tempDbPath } from '../support/temp-store';
import { elasticsearchConfig, randomPrefix } from './support/backends';

/**
 * Each stored key operation keeps the KEK as its emitter wrote it, beside the canonical
 * key ARN where account and Region make it known, and the key manager's request id, on
 * both backends.
 */
const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const NOW = Date.UTC(2026, 0, 3);
const ops: Array<{ op: KeyOperation; arn: string | null; requestId: string | null }> = [
  { op: { ...makeOperation(1), kekId: `arn:aws:kms:us-east-1:111122223333:key/${ID.toUpperCase()}`, kmsRequestId: 'req-1' }, arn: `arn:aws:kms:us-east-1:111122223333:key/${ID}`, requestId: 'req-1' },
  { op: { ...makeOperation(2), kekId: ID, region: 'cn-north-1', accountId: '111122223333', kmsRequestId: null }, arn: `arn:aws-cn:kms:cn-north-1:111122223333:key/${ID}`, requestId: null },
  { op: { ...makeOperation(3), kekId: 'alias/orders' }, arn: null, requestId: null },
  { op: { ...makeOperation(4), kekId: ID, accountId: null }, arn: null, requestId: null },
];
const expected = ops.map((o) => ({ id: o.op.id, kekId: o.op.kekId, arn: o.arn, requestId: o.requestId })).sort((a, b) => a.id.localeCompare(b.id));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('key operations keep their KEK as written, its canonical ARN and the KMS request id', () => {
  it('sqlite', async () => {
    const db = tempDbPath();
    const store = await openStore({ backend: 'sqlite', sqlitePath: db.path }, { clock: () => NOW });
    cleanups.push(async () => {
      await store.close();
      db.cleanup();
    });
    await store.writeBatch({ keyOperations: ops.map((o) => o.op) });
    const raw = new Database(db.path, { readonly: true });
    const rows = raw
      .prepare(
        `SELECT lower(hex(o.id)) AS hex, k.value AS kekId, a.value AS arn, o.kms_request_id AS requestId FROM key_operations o
         JOIN dict k ON k.id = o.kek_ref LEFT JOIN dict a ON a.id = o.key_arn_ref`,
      )
      .all() as Array<{ hex: string; kekId: string; arn: string | null; requestId: string | null }>;
    raw.close();
    const found = rows.map((r) => ({ id: `${r.hex.slice(0, 8)}-${r.hex.slice(8, 12)}-${r.hex.slice(12, 16)}-${r.hex.slice(16, 20)}-${r.hex.slice(20)}`, kekId: r.kekId, arn: r.arn, requestId: r.requestId }));
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
  });

  it('elasticsearch, also into a monthly index created before these fields existed', async () => {
    const config = elasticsearchConfig(randomPrefix());
    const client = new Client({ node: config.nodes[0]! });
    cleanups.push(() => client.close());
    // An index as an older keyscope created it: the strict mapping without kek.arn and kms.
    const names = new IndexNames(config.indexPrefix);
    await client.indices.create({
      index: names.monthly('key-operations', Date.parse(ops[0]!.op.time)),
      aliases: { [names.alias('key-operations')]: {} },
      mappings: { dynamic: 'strict', properties: { '@timestamp': { type: 'date' }, keyscope: { type: 'object', properties: { kek: { type: 'object', properties: { id: { type: 'keyword' } } } } } } },
    });
    const store = await openStore({ backend: 'elasticsearch', elasticsearch: config }, { clock: () => NOW, elasticsearch: { refreshAfterWrite: true, retry: { deadlineMs: 30_000 } } });
    cleanups.push(() => store.close());
    const written = await store.writeBatch({ keyOperations: ops.map((o) => o.op) });
    expect(written.keyOperations).toEqual({ inserted: ops.length, updated: 0, duplicates: 0 });
    const res = await client.search<{ event: { id: string }; keyscope: { kek: { id: string; arn?: string }; kms?: { request_id?: string } } }>({
      index: names.alias('key-operations'), size: 10, query: { match_all: {} },
    });
    const found = res.hits.hits.map((h) => ({ id: h._source!.event.id, kekId: h._source!.keyscope.kek.id, arn: h._source!.keyscope.kek.arn ?? null, requestId: h._source!.keyscope.kms?.request_id ?? null }));
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
    // Searchable, not only stored.
    const byRequest = await client.count({ index: names.alias('key-operations'), query: { term: { 'keyscope.kms.request_id': 'req-1' } } });
    expect(byRequest.count).toBe(1);
  });
});
