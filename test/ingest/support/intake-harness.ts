import { DEFAULT_TIME_BOUNDS, type TimeBounds } from '../../../lib/model/time-window';
import { gzipSync } from 'node:zlib';
import { Pipeline } from '../../../ingest/pipeline/pipeline';
import { INTAKE_SOURCE } from '../../../ingest/sources/intake-http/ndjson-handler';
import { IntakeServer } from '../../../ingest/sources/intake-http/server';
import { silentLogger } from '../../../ingest/log';
import type { Store } from '../../../lib/store/types';
import { openTempStore } from '../../support/temp-store';

export type IntakeHarness = {
  url: string;
  store: Store;
  dbPath: string;
  pipeline: Pipeline;
  post: (path: string, body: string | Buffer, headers?: Record<string, string>) => Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
  close: () => Promise<void>;
};

export const NDJSON = { 'content-type': 'application/x-ndjson' };
export const ndjson = (records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
export const gzip = (s: string | Buffer) => gzipSync(s);

/** The intake on a loopback port over a private sqlite store (STYLE.md 14). */
export async function startIntake(
  limits: { maxBodyBytes?: number; maxDecompressedBytes?: number } = {},
  o: { timeBounds?: TimeBounds; now?: () => Date } = {},
): Promise<IntakeHarness> {
  const temp = await openTempStore();
  const pipeline = new Pipeline({ source: INTAKE_SOURCE, store: temp.store, batchRecords: 1000, batchMaxAgeMs: 50 });
  const server = new IntakeServer({
    host: '127.0.0.1',
    port: 0,
    limits: { maxBodyBytes: limits.maxBodyBytes ?? 1024 * 1024, maxDecompressedBytes: limits.maxDecompressedBytes ?? 4 * 1024 * 1024 },
    pipeline,
    health: async () => ({ ok: true, queue: { depth: pipeline.stats().buffered + pipeline.stats().writing } }),
    logger: silentLogger(),
    // The fixtures are dated January 2026: the live retention is not what these tests are about (test/ingest/time-bounds.test.ts is).
    timeBounds: o.timeBounds ?? { ...DEFAULT_TIME_BOUNDS, liveRetentionMs: 20 * 365 * 24 * 3600_000 },
    ...(o.now ? { now: o.now } : {}),
  });
  const { url } = await server.listen();
  return {
    url,
    store: temp.store,
    dbPath: temp.path,
    pipeline,
    post: async (path, body, headers = NDJSON) => {
      const res = await fetch(url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
    },
    close: async () => {
      await server.close();
      await pipeline.close();
      await temp.cleanup();
    },
  };
}
