import type { ElasticsearchAnswerOf } from '../define';
import type { ingestHealthQuestion } from './definition';
import { toMs } from '../common';
import { composeIngestHealth, type HEALTH_KINDS, type IngestHealthParams, type IngestHealthResult } from './definition';
import type { IngestSourceDoc } from '../../store/elasticsearch/documents';
import type { IndexNames } from '../../store/elasticsearch/names';
import { deadLettersBySourceRequest, ingestSourcesRequest, latestDeadLettersRequest } from './elasticsearch-request';
import { allCompositeBuckets, type Searcher } from '../../store/elasticsearch/search';

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
  return composeIngestHealth(nowMs, {
    sources: sources.hits.hits.map((h) => {
      const s = h._source as IngestSourceDoc;
      return { source: s.source, kind: s.kind as (typeof HEALTH_KINDS)[number], newestEventMs: s.newest_event_ms, lastWriteMs: s.last_write_ms, records: s.records };
    }),
    deadLettersBySource: bySource,
    latest: latest.hits.hits.map((h) => {
      const d = h._source as DeadLetterSource;
      const l = d.keyscope.dead_letter;
      return { id: l.id, receivedAtMs: Date.parse(d['@timestamp']), source: l.source, location: l.location, reason: l.reason };
    }),
  });
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof ingestHealthQuestion> = (ctx, p) => readIngestHealth(ctx.search, ctx.names, p, ctx.clock);
