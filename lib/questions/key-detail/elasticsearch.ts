import type { KeyState } from '../../model/key-state';
import type { IndexNames } from '../../store/elasticsearch/names';
import { allCompositeBuckets, type Searcher } from '../../store/elasticsearch/search';
import type { ElasticsearchAnswerOf } from '../define';
import { dekRecordsByVersion, keyOfState, type keyDetailQuestion, type KeyDetailParams, type KeyDetailResult } from './definition';
import { dekRecordsRequest, keyChangesRequest, keyEventsFilter, keyInAuditRequest, keyStateRequest, keyTotalsRequest } from './elasticsearch-request';
import { TOP_FIELD_ES, esTopList } from './top-lists';

type ChangeSource = {
  '@timestamp': string;
  event: { id: string; action: string; outcome: 'success' | 'failure' };
  keyscope?: { principal?: { caller?: string } };
  source?: { address?: string };
  aws?: { cloudtrail?: { error_code?: string } };
};

export function totalOf(res: { hits: { total?: number | { value: number } } }): number {
  const t = res.hits.total;
  return typeof t === 'number' ? t : (t?.value ?? 0);
}

export async function readKeyDetail(search: Searcher, names: IndexNames, p: KeyDetailParams): Promise<KeyDetailResult> {
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  const audit = names.alias('audit-events');
  const filter = keyEventsFilter(p.keyArn, from, to);
  const top = (field: keyof typeof TOP_FIELD_ES) => esTopList(search, audit, filter, TOP_FIELD_ES[field], p.top);
  const [stateRes, seenRes, totalsRes, changesRes, principals, sources, userAgents, errors, actions, dek] = await Promise.all([
    search(keyStateRequest(p.keyArn, names.entity('key-states'))),
    search(keyInAuditRequest(p.keyArn, audit)),
    search(keyTotalsRequest(p.keyArn, from, to, audit)),
    search(keyChangesRequest(p.keyArn, from, to, p.changes, audit)),
    top('keyscope.principal.caller'), top('source.ip'), top('user_agent.original'), top('error.code'), top('event.action'),
    allCompositeBuckets(search, (after) => dekRecordsRequest(p.keyArn, names.entity('dek-records'), after), 'groups'),
  ]);
  const state = (stateRes.hits.hits[0]?._source as { keyscope: { record: KeyState } } | undefined)?.keyscope.record;
  const items = changesRes.hits.hits.map((h) => {
    const d = h._source as ChangeSource;
    return {
      id: d.event.id, time: new Date(d['@timestamp']).toISOString(), action: d.event.action, principal: d.keyscope?.principal?.caller ?? null,
      source: d.source?.address ?? null, outcome: d.event.outcome, errorCode: d.aws?.cloudtrail?.error_code ?? null,
    };
  });
  const changeTotal = totalOf(changesRes);
  return {
    key: state === undefined ? null : keyOfState(state),
    inAuditTrail: totalOf(seenRes) > 0,
    totals: { calls: totalOf(totalsRes), failures: (totalsRes.aggregations?.failures as { doc_count: number } | undefined)?.doc_count ?? 0 },
    principals, sources, userAgents, errors, actions,
    dekRecords: dekRecordsByVersion(dek.map((b) => ({ version: b.key.version === null ? null : String(b.key.version), status: String(b.key.status), n: b.doc_count }))),
    changes: { items, total: changeTotal, truncated: changeTotal > items.length },
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof keyDetailQuestion> = (ctx, p) => readKeyDetail(ctx.search, ctx.names, p);
