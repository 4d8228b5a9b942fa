import Database from 'better-sqlite3';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { normalizeCloudTrailLogFile } from '../../lib/model/normalize-cloudtrail';
import { openStore } from '../../lib/store';
import { auditEventRow } from '../../lib/store/sqlite/rows';
import { walkLogFiles } from '../../ingest/sources/cloudtrail-files/walk';

type Row = ReturnType<typeof auditEventRow>;

/** Rows parsed ahead of the timed inserts: enough to amortize, small enough to keep memory flat. */
const CHUNK_ROWS = 50_000;

/**
 * The raw baseline: the same records, already parsed into the store's audit_events rows,
 * inserted with one prepared statement in one transaction into a fresh database with the
 * same schema (migrated by the store) and the same pragmas as the store's writer. Only the inserts and the
 * commit are timed; parsing happens between timed spans, a chunk at a time, so the
 * baseline holds a chunk of rows rather than the whole tree.
 */
export async function rawBaseline(treeDir: string, dbPath: string): Promise<{ rows: number; insertMs: number }> {
  await (await openStore({ backend: 'sqlite', sqlitePath: dbPath })).close();
  const db = new Database(dbPath);
  // The writer's pragmas in lib/store/sqlite/connection.ts: WAL, NORMAL, a 64 MiB page cache.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  const cols = ['id', 'time_ms', 'event_name', 'key_arn', 'key_id', 'principal_arn', 'source_ip', 'error_code', 'success', 'doc'];
  const insert = db.prepare(`INSERT INTO audit_events (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')}) ON CONFLICT (id) DO NOTHING`);
  let rows = 0;
  let insertMs = 0;
  let chunk: Row[] = [];
  const timed = (fn: () => void) => {
    const t = performance.now();
    fn();
    insertMs += performance.now() - t;
  };
  const flush = () => {
    const c = chunk;
    chunk = [];
    timed(() => {
      for (const r of c) insert.run(r);
    });
    rows += c.length;
  };
  timed(() => db.exec('BEGIN IMMEDIATE'));
  for await (const f of walkLogFiles(treeDir)) {
    const parsed = normalizeCloudTrailLogFile(JSON.parse(gunzipSync(await readFile(f.path)).toString('utf8')));
    if (!parsed.ok) continue;
    for (const { result } of parsed.results) if (result.ok) chunk.push(auditEventRow(result.event));
    if (chunk.length >= CHUNK_ROWS) flush();
  }
  flush();
  timed(() => db.exec('COMMIT'));
  db.close();
  return { rows, insertMs };
}
