import { Client } from '@elastic/elasticsearch';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../lib/store';
import { IndexNames } from '../../lib/store/elasticsearch/names';
import { makeOperation } from '../support/event-fixtures';
import { elasticsearchConfig, randomPrefix } from '../conformance/support/backends';
import { inject } from 'vitest';
import { ingestHealth } from '../../lib/questions/registry';

const client = new Client({ node: inject('elasticsearchUrl') });
afterAll(() => client.close());

describe('elasticsearch store: records the cluster refuses', () => {
  it('routes each refused record to the dead letters with the cluster reason and stores the rest', async () => {
    const prefix = randomPrefix();
    const names = new IndexNames(prefix);
    const store = await openStore({ backend: 'elasticsearch', elasticsearch: elasticsearchConfig(prefix) }, { elasticsearch: { refreshAfterWrite: true } });
    try {
      const ops = Array.from({ length: 10 }, (_, i) => makeOperation(i));
      // Someone created this month's index by hand with tenant as a number: tenants that
      // are not numbers cannot be indexed there (a mapping conflict, HTTP 400 per item).
      await client.indices.create({ index: names.monthly('key-operations', Date.parse(ops[0]!.time)), mappings: { properties: { keyscope: { properties: { tenant: { type: 'long' } } } } } });
      const numeric = ops.slice(0, 4).map((o, i) => ({ ...o, tenant: String(1000 + i) }));
      const textual = ops.slice(4);
      const res = await store.writeBatch({ source: 'intake-http', keyOperations: [...numeric, ...textual] });
      expect(res.keyOperations).toEqual({ inserted: 4, updated: 0, duplicates: 0 });
      expect(res.deadLetters).toEqual({ inserted: 6, updated: 0, duplicates: 0 });
      const health = await store.answer(ingestHealth, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', now: '2026-01-03T00:00:00Z', latest: 10 });
      expect(health.deadLetters.total).toBe(6);
      const reasons = health.deadLetters.latest.map((d) => d.reason);
      expect(reasons.every((r) => /Elasticsearch rejected this keyOperations record: document_parsing_exception/.test(r))).toBe(true);
      expect(health.deadLetters.latest.map((d) => d.id).sort()).toEqual(textual.map((o) => `elasticsearch-rejected:keyOperations:${o.id}`).sort());
      // The rejected records are not lost: their payload is in the dead letter.
      const stored = await client.search<{ keyscope: { dead_letter: { payload: string } } }>({ index: names.entity('dead-letters'), size: 10 });
      const payloads = stored.hits.hits.map((h) => JSON.parse(h._source!.keyscope.dead_letter.payload) as { id: string });
      expect(payloads.map((p) => p.id).sort()).toEqual(textual.map((o) => o.id).sort());
    } finally {
      await store.close();
    }
  });
});
