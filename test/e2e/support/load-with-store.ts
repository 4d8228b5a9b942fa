import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { DekRecordSchema, type DekRecord } from '../../../lib/model/dek-record';
import { KeyOperationSchema, type KeyOperation } from '../../../lib/model/key-operation';
import { normalizeCloudTrailLogFile } from '../../../lib/model/normalize-cloudtrail';
import type { AuditEvent } from '../../../lib/model/audit-event';
import { openStore } from '../../../lib/store';

/**
 * Stand-in for the ingest importer while it is being built: reads a traffic directory
 * (operations/*.ndjson, dek-records/*.ndjson, AWSLogs/**.json.gz) and writes it with
 * store.writeBatch. dataset.ts switches to `ingest/main.ts import` once that exists.
 */
const BATCH = 5_000;

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

async function* ndjson<T>(files: string[], parse: (v: unknown) => T): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for (const file of files) {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      batch.push(parse(JSON.parse(line)));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

export async function loadWithStore(trafficDir: string, dbPath: string): Promise<void> {
  const store = await openStore({ backend: 'sqlite', sqlitePath: dbPath }, { mode: 'readwrite' });
  try {
    for await (const keyOperations of ndjson<KeyOperation>(filesUnder(join(trafficDir, 'operations'), '.ndjson'), (v) => KeyOperationSchema.parse(v))) {
      await store.writeBatch({ source: 'intake-http', keyOperations });
    }
    for await (const dekRecords of ndjson<DekRecord>(filesUnder(join(trafficDir, 'dek-records'), '.ndjson'), (v) => DekRecordSchema.parse(v))) {
      await store.writeBatch({ source: 'intake-http', dekRecords });
    }
    let auditEvents: AuditEvent[] = [];
    for (const file of filesUnder(join(trafficDir, 'AWSLogs'), '.json.gz')) {
      const parsed = normalizeCloudTrailLogFile(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.reason}`);
      for (const { result } of parsed.results) if (result.ok) auditEvents.push(result.event);
      if (auditEvents.length >= BATCH) {
        await store.writeBatch({ source: 'cloudtrail-files', auditEvents });
        auditEvents = [];
      }
    }
    if (auditEvents.length > 0) await store.writeBatch({ source: 'cloudtrail-files', auditEvents });
  } finally {
    await store.close();
  }
}
