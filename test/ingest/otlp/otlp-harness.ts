import { DEFAULT_TIME_BOUNDS } from '../../../lib/model/time-window';
import { Pipeline } from '../../../ingest/pipeline/pipeline';
import { INTAKE_SOURCE } from '../../../ingest/sources/intake-http/ndjson-handler';
import { IntakeServer } from '../../../ingest/sources/intake-http/server';
import { silentLogger } from '../../../ingest/log';
import { openTempStore } from '../../support/temp-store';
import { query } from '../support/db';

export type OtlpHarness = {
  url: string;
  dbPath: string;
  server: IntakeServer;
  post: (path: string, body: string | Uint8Array, headers: Record<string, string>) => Promise<{ status: number; type: string | null; bytes: Buffer }>;
  close: () => Promise<void>;
};

/** The intake (and so the OTLP receiver) on a loopback port over a private SQLite store. */
export async function startOtlpIntake(limits: { maxBodyBytes?: number; maxDecompressedBytes?: number } = {}): Promise<OtlpHarness> {
  const temp = await openTempStore();
  const pipeline = new Pipeline({ source: INTAKE_SOURCE, store: temp.store, batchRecords: 1000, batchMaxAgeMs: 20 });
  const server = new IntakeServer({
    host: '127.0.0.1',
    port: 0,
    limits: { maxBodyBytes: limits.maxBodyBytes ?? 1024 * 1024, maxDecompressedBytes: limits.maxDecompressedBytes ?? 4 * 1024 * 1024 },
    pipeline,
    health: async () => ({ ok: true }),
    logger: silentLogger(),
    timeBounds: DEFAULT_TIME_BOUNDS,
  });
  const { url } = await server.listen();
  return {
    url,
    dbPath: temp.path,
    server,
    post: async (path, body, headers) => {
      const res = await fetch(url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
      return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
    },
    close: async () => {
      await server.close();
      await pipeline.close();
      await temp.cleanup();
    },
  };
}

export type StoredOperation = {
  id: string; time: string; service: string; tenant: string; operation: string; kekId: string; kekVersion: string | null;
  dekId: string | null; objectId: string | null; outcome: string; errorClass: string | null; errorCode: string | null;
  latencyMs: number; cacheHit: boolean | null; bytes: number; traceId: string; principal: string | null; region: string | null; accountId: string | null;
  kmsRequestId: string | null;
};

/** The stored key operations with their dictionary values resolved, ordered by time. */
export function storedOperations(dbPath: string): StoredOperation[] {
  const rows = query<Record<string, unknown>>(
    dbPath,
    `SELECT lower(hex(k.id)) AS id, k.time_ms, s.value AS service, t.value AS tenant, k.operation, kek.value AS kek, v.value AS version,
            k.dek_id, k.object_id, k.success, k.error_class, e.value AS error_code, k.latency_ms, k.cache_hit, k.bytes, k.trace_id,
            k.principal, r.value AS region, a.value AS account, k.kms_request_id
       FROM key_operations k
       JOIN dict s ON s.id = k.service_id JOIN dict t ON t.id = k.tenant_id JOIN dict kek ON kek.id = k.kek_ref
       LEFT JOIN dict v ON v.id = k.kek_version_ref LEFT JOIN dict e ON e.id = k.error_code_ref
       LEFT JOIN dict r ON r.id = k.region_ref LEFT JOIN dict a ON a.id = k.account_ref
      ORDER BY k.time_ms, k.id`,
  );
  return rows.map((r) => {
    const h = r.id as string;
    return {
      id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
      time: new Date(r.time_ms as number).toISOString(),
      service: r.service as string, tenant: r.tenant as string, operation: r.operation as string, kekId: r.kek as string,
      kekVersion: r.version as string | null, dekId: r.dek_id as string | null, objectId: r.object_id as string | null,
      outcome: r.success === 1 ? 'success' : 'failure', errorClass: r.error_class as string | null, errorCode: r.error_code as string | null,
      latencyMs: r.latency_ms as number, cacheHit: r.cache_hit === null ? null : r.cache_hit === 1, bytes: r.bytes as number,
      traceId: r.trace_id as string, principal: r.principal as string | null, region: r.region as string | null, accountId: r.account as string | null,
      kmsRequestId: r.kms_request_id as string | null,
    };
  });
}
