import type { SqliteAnswerOf } from '../define';
import type { ingestHealthQuestion } from './definition';
import { toMs } from '../common';
import { composeIngestHealth, type HEALTH_KINDS, type IngestHealthParams, type IngestHealthResult } from './definition';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';

type SourceRow = { source: string; kind: (typeof HEALTH_KINDS)[number]; newest_event_ms: number; last_write_ms: number; records: number };
type DeadRow = { id: string; received_at_ms: number; source: string; location: string; reason: string };

export async function readIngestHealth(s: ReadSession, p: IngestHealthParams, clock: () => number): Promise<IngestHealthResult> {
  const nowMs = p.now === undefined ? clock() : toMs(p.now);
  const range = { from: toMs(p.from), to: toMs(p.to) };
  const sources = await s.all<SourceRow>({ sql: 'SELECT * FROM ingest_sources ORDER BY source, kind', params: {} });
  const bySource = await s.all<{ source: string; total: number; inRange: number }>({
    sql: `SELECT source, COUNT(*) AS total, SUM(received_at_ms >= @from AND received_at_ms < @to) AS inRange
      FROM dead_letters GROUP BY source ORDER BY total DESC, source`,
    params: range,
  });
  const latest = await s.all<DeadRow>({
    sql: 'SELECT id, received_at_ms, source, location, reason FROM dead_letters ORDER BY received_at_ms DESC, id LIMIT @n',
    params: { n: p.latest },
  });
  return composeIngestHealth(nowMs, {
    sources: sources.map((s) => ({ source: s.source, kind: s.kind, newestEventMs: s.newest_event_ms, lastWriteMs: s.last_write_ms, records: s.records })),
    deadLettersBySource: bySource,
    latest: latest.map((d) => ({ id: d.id, receivedAtMs: d.received_at_ms, source: d.source, location: d.location, reason: d.reason })),
  });
}

export const sqliteAnswer: SqliteAnswerOf<typeof ingestHealthQuestion> = (ctx, p) => ctx.session((s) => readIngestHealth(s, p, ctx.clock));
