import { toIso, toMs } from '../../../queries/common';
import type { HEALTH_KINDS, IngestHealthParams, IngestHealthResult } from '../../../queries/ingest-health';
import type { IngestSourceDoc } from '../documents';
import type { IndexNames } from '../names';
import { deadLettersBySourceRequest, ingestSourcesRequest, latestDeadLettersRequest } from '../queries/ingest-health';
import { allCompositeBuckets, type Searcher } from './search';

type DeadLetterSource = { '@timestamp': string; keyscope: { dead_letter: { id: string; source: string; location: string; reason: string } } };

export async function readIngestHealth(search: Searcher, names: IndexNames, p: IngestHealthParams, clock: () => number): Promise<IngestHealthResult> {
  const nowMs = p.now === undefined ? clock() : toMs(p.now);
  const deadIndex = names.entity('dead-letters');
  const [sources, groups, latest] = await Promise.all([
    search(ingestSourcesRequest(names.entity('ingest-sources'))),
    allCompositeBuckets(search, (after) => deadLettersBySourceRequest(toMs(p.from), toMs(p.to), deadIndex, after), 's'),
    search(latestDeadLettersRequest(p.latest, deadIndex)),
  ]);
  const bySource = groups
    .map((g) => ({ source: String(g.key.source), total: g.doc_count, inRange: (g.inRange as { doc_count: number }).doc_count }))
    .sort((a, b) => b.total - a.total || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return {
    now: toIso(nowMs),
    sources: sources.hits.hits.map((h) => {
      const s = h._source as IngestSourceDoc;
      return {
        source: s.source,
        kind: s.kind as (typeof HEALTH_KINDS)[number],
        newestEventTime: toIso(s.newest_event_ms),
        lastWriteTime: toIso(s.last_write_ms),
        lagMs: nowMs - s.newest_event_ms,
        records: s.records,
      };
    }),
    deadLetters: {
      total: bySource.reduce((n, s) => n + s.total, 0),
      inRange: bySource.reduce((n, s) => n + s.inRange, 0),
      bySource,
      latest: latest.hits.hits.map((h) => {
        const d = h._source as DeadLetterSource;
        const l = d.keyscope.dead_letter;
        return { id: l.id, receivedAt: toIso(Date.parse(d['@timestamp'])), source: l.source, location: l.location, reason: l.reason };
      }),
    },
  };
}
