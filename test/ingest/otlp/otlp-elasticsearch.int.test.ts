import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../ingest/log';
import { Pipeline } from '../../../ingest/pipeline/pipeline';
import { INTAKE_SOURCE } from '../../../ingest/sources/intake-http/ndjson-handler';
import { IntakeServer } from '../../../ingest/sources/intake-http/server';
import { MemorySink } from '../../../lib/engine/sinks/event-sink';
import { OtlpTraceSink } from '../../../lib/engine/sinks/otlp-trace-sink';
import type { KeyOperation } from '../../../lib/model/key-operation';
import { DEFAULT_TIME_BOUNDS } from '../../../lib/model/time-window';
import { openStore } from '../../../lib/store';
import { IndexNames } from '../../../lib/store/elasticsearch/names';
import { elasticsearchConfig } from '../../conformance/support/backends';
import { makeOperation } from '../../support/event-fixtures';

/** The OTLP round trip of otlp-sdk-round-trip.test.ts, into the Elasticsearch store. */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type OpDoc = {
  event: { id: string; action: string; outcome: string };
  service: { name: string };
  trace: { id: string };
  keyscope: { tenant: string; kek: { id: string; arn?: string }; kms?: { request_id?: string }; latency_ms: number };
};

describe('OTLP round trip through the OpenTelemetry JS SDK into Elasticsearch', () => {
  it('stores every key operation once, with its fields, its canonical key ARN and its KMS request id', async () => {
    const config = elasticsearchConfig();
    const store = await openStore({ backend: 'elasticsearch', elasticsearch: config }, { elasticsearch: { refreshAfterWrite: true, retry: { deadlineMs: 30_000 } } });
    const pipeline = new Pipeline({ source: INTAKE_SOURCE, store, batchRecords: 1000, batchMaxAgeMs: 20 });
    const server = new IntakeServer({
      host: '127.0.0.1', port: 0, limits: { maxBodyBytes: 1 << 20, maxDecompressedBytes: 4 << 20 }, pipeline,
      health: async () => ({ ok: true }), logger: silentLogger(), timeBounds: DEFAULT_TIME_BOUNDS,
    });
    const { url } = await server.listen();
    const client = new Client({ node: config.nodes[0]! });
    cleanups.push(async () => {
      await server.close();
      await pipeline.close();
      await store.close();
      await client.close();
    });

    const now = Date.now();
    const ops: KeyOperation[] = Array.from({ length: 30 }, (_, i) => ({
      ...makeOperation(i), time: new Date(now - (30 - i) * 1000).toISOString(), traceId: randomUUID(), kmsRequestId: i % 3 === 0 ? randomUUID() : null,
    }));
    for (let round = 0; round < 2; round++) {
      const sink = new OtlpTraceSink({ url, dekRecords: new MemorySink(), maxExportBatchSize: 8, scheduledDelayMillis: 10 });
      for (const op of ops) sink.writeOperation(op);
      await sink.close();
      await pipeline.flush();
    }
    expect(server.otlpTotals.traces).toMatchObject({ records: 60, accepted: 60, rejected: 0 });

    const index = new IndexNames(config.indexPrefix).alias('key-operations');
    const res = await client.search<OpDoc>({ index, size: 100, query: { match_all: {} } });
    expect(res.hits.hits).toHaveLength(ops.length);
    const byId = new Map(res.hits.hits.map((h) => [h._source!.event.id, h._source!]));
    for (const op of ops) {
      const doc = byId.get(op.id)!;
      expect({
        action: doc.event.action, outcome: doc.event.outcome, service: doc.service.name, trace: doc.trace.id, tenant: doc.keyscope.tenant,
        kek: doc.keyscope.kek.id, arn: doc.keyscope.kek.arn ?? null, requestId: doc.keyscope.kms?.request_id ?? null,
      }).toEqual({
        action: op.operation, outcome: op.outcome, service: op.service, trace: op.traceId.replace(/-/g, ''), tenant: op.tenant,
        kek: op.kekId, arn: op.kekId, requestId: op.kmsRequestId,
      });
      expect(Math.abs(doc.keyscope.latency_ms - op.latencyMs)).toBeLessThanOrEqual(1e-6);
    }
  });
});
