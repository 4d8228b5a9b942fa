/**
 * The Elasticsearch path of `npm run bench:ingest -- --store elasticsearch`: the import
 * pipeline (the same `runImport` as the sqlite bench) writing to the Elasticsearch store,
 * beside a raw baseline in the same run: the same documents (documents.ts, under their
 * monthly indices and ids), serialized into _bulk bodies ahead of time (bulk-body.ts) and
 * sent by the same client with the same body size and requests in flight. Only the sends
 * are timed: every body is built first (as Buffers: about 4.6 KB a document, ~1.1 GB for a
 * quarter of the tree, ~4.6 GB for all of it), then all are sent back to back.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { runImport, type ImportProgress } from '../../ingest/import/run-import';
import type { ImportPlan } from '../../ingest/import/import-plan';
import type { ImportSummary } from '../../ingest/import/import-summary';
import { silentLogger } from '../../ingest/log';
import { CLOUDTRAIL_FILES_SOURCE } from '../../ingest/sources/cloudtrail-files/ingest-file';
import { walkLogFiles, type FoundFile } from '../../ingest/sources/cloudtrail-files/walk';
import type { ElasticsearchConfig } from '../../lib/config';
import { normalizeCloudTrailLogFile } from '../../lib/model/normalize-cloudtrail';
import { openStore } from '../../lib/store';
import { chunkActions, type BulkAction } from '../../lib/store/elasticsearch/bulk-body';
import { auditEventDoc } from '../../lib/store/elasticsearch/documents';
import { IndexNames, documentId } from '../../lib/store/elasticsearch/names';
import { benchEsConfig, countDocs, cpuMeter, createClient, deletePrefix } from '../lib/elasticsearch';
import { RssSampler } from './rss-sampler';

/** Records serialized at a time while the bodies are built. */
const CHUNK_RECORDS = 50_000;

export type Cpu = { node: number; jvm: number | null };
export type EsPipelineRun = { summary: ImportSummary; peakRss: number; docs: number; cpu: Cpu };
export type EsRawRun = { docs: number; bodies: number; bodyBytes: number; sendMs: number; itemErrors: number; cpu: Cpu };

/** The import pipeline into a fresh index prefix; the prefix is removed afterwards. */
export async function esPipelineRun(url: string, jvmPid: number | null, prefix: string, batchRecords: number, batchMaxAgeMs: number, files: () => AsyncGenerator<FoundFile>): Promise<EsPipelineRun> {
  const cfg = benchEsConfig(url, prefix);
  const admin = createClient(cfg);
  try {
    await deletePrefix(admin, prefix);
    const store = await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readwrite', elasticsearch: { refreshAfterWrite: false } });
    const plan: ImportPlan = { root: prefix, logFiles: files, ndjsonFiles: async function* () {} };
    const rss = new RssSampler();
    rss.start();
    const cpu = cpuMeter(jvmPid);
    const summary = await runImport({ plan, store, logger: silentLogger(), batchRecords, batchMaxAgeMs, progress: progressLog(prefix) });
    const used = cpu();
    const peakRss = rss.stop();
    await store.close();
    const docs = await countDocs(admin, `${prefix}-audit-events-*`);
    await deletePrefix(admin, prefix);
    return { summary, peakRss, docs, cpu: used };
  } finally {
    await admin.close();
  }
}

/** A line on stderr every 30 s: records read so far and their rate. */
function progressLog(label: string): ImportProgress {
  let started = 0;
  let last = 0;
  let total = 0;
  let bytes = 0;
  return {
    start: (totalBytes) => { started = last = performance.now(); total = totalBytes; },
    advance: (b, counts) => {
      bytes += b;
      const now = performance.now();
      if (now - last < 30_000) return;
      last = now;
      process.stderr.write(`  ${label}: ${Math.round((100 * bytes) / Math.max(1, total))}% of the input, ${counts.recordsRead} records read, ${Math.round(counts.recordsRead / ((now - started) / 1000))}/s\n`);
    },
    stop: () => {},
  };
}

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The raw baseline: pre-serialized _bulk bodies of the same documents into a fresh prefix (same templates). */
export async function esRawRun(url: string, jvmPid: number | null, prefix: string, treeDir: string, files?: () => AsyncGenerator<FoundFile>): Promise<EsRawRun> {
  const cfg: ElasticsearchConfig = benchEsConfig(url, prefix);
  const admin = createClient(cfg);
  try {
    await deletePrefix(admin, prefix);
    // The writer installs the same index templates the pipeline's store does.
    await (await openStore({ backend: 'elasticsearch', elasticsearch: cfg }, { mode: 'readwrite' })).close();
    const client: Client = createClient(cfg);
    const names = new IndexNames(prefix);
    const run: EsRawRun = { docs: 0, bodies: 0, bodyBytes: 0, sendMs: 0, itemErrors: 0, cpu: { node: 0, jvm: 0 } };
    // Untimed: every body of the run serialized up front (Buffers, outside the JS heap), so
    // that the timed sends run back to back like the pipeline's writes: no pauses in which
    // the node could merge segments for free.
    const bodies: Buffer[] = [];
    let chunk: BulkAction[] = [];
    const serialize = (): void => {
      for (const c of chunkActions(chunk, chunk.map((_, i) => i), cfg.bulkBytes)) bodies.push(Buffer.from(c.body, 'utf8'));
      run.docs += chunk.length;
      chunk = [];
    };
    for await (const f of (files ?? (() => walkLogFiles(treeDir)))()) {
      const parsed = normalizeCloudTrailLogFile(JSON.parse(gunzipSync(await readFile(f.path)).toString('utf8')));
      if (!parsed.ok) continue;
      for (const { result } of parsed.results) {
        if (!result.ok) continue;
        const e = result.event;
        chunk.push({ op: 'create', index: names.monthly('audit-events', Date.parse(e.time)), id: documentId(e.id), doc: auditEventDoc(e, CLOUDTRAIL_FILES_SOURCE) });
      }
      if (chunk.length >= CHUNK_RECORDS) serialize();
    }
    serialize();
    for (const b of bodies) run.bodyBytes += b.length;
    run.bodies = bodies.length;
    // Let the node settle (first index creation) before the clock starts.
    await new Promise((r) => setTimeout(r, 2000));
    const t = performance.now();
    const cpu = cpuMeter(jvmPid);
    await pool(bodies, cfg.bulkConcurrency, async (bulkBody) => {
      const res = await client.transport.request<estypes.BulkResponse>({ method: 'POST', path: '/_bulk', bulkBody });
      if (res.errors) for (const item of res.items) if (Object.values(item)[0]?.error != null) run.itemErrors++;
    });
    run.sendMs = performance.now() - t;
    run.cpu = cpu();
    bodies.length = 0;
    await client.close();
    const stored = await countDocs(admin, `${prefix}-audit-events-*`);
    if (stored !== run.docs) throw new Error(`raw baseline: sent ${run.docs} documents, ${stored} stored (${run.itemErrors} item errors)`);
    await deletePrefix(admin, prefix);
    return run;
  } finally {
    await admin.close();
  }
}

/** Mean bytes of one audit event's _bulk lines (for the report). */
export function meanActionBytes(bodyBytes: number, docs: number): number {
  return docs === 0 ? 0 : Math.round(bodyBytes / docs);
}
