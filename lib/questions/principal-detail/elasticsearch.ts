import type { IndexNames } from '../../store/elasticsearch/names';
import { allCompositeBuckets, type Searcher } from '../../store/elasticsearch/search';
import type { ElasticsearchAnswerOf } from '../define';
import { totalOf } from '../key-detail/elasticsearch';
import { TOP_FIELD_ES, esTopList, type TopField } from '../key-detail/top-lists';
import { CONTEXT_FIELD_PREFIX, SEEN_FIELDS, iso, newSightings, newWindow, type principalDetailQuestion, type PrincipalDetailParams, type PrincipalDetailResult } from './definition';
import {
  CONTEXT_KEYS_FIELD, SEEN_FIELD_ES, contextValueField, principalRangeFilter, principalSeenRequest, principalTotalsRequest, sightingsRequest,
} from './elasticsearch-request';

type Identity = NonNullable<PrincipalDetailResult['identity']>;
type MinMax = { value: number | null };

/** Every tracked value's first and last sighting; context values per key the principal's events carry. */
async function sightings(search: Searcher, index: string, principal: string) {
  const values = async (field: string, es: string) => {
    const buckets = await allCompositeBuckets(search, (after) => sightingsRequest(principal, es, index, after), 'values');
    return buckets.map((b) => ({ field, value: String(b.key.v), first: (b.first as MinMax).value ?? 0, last: (b.last as MinMax).value ?? 0, count: b.doc_count }));
  };
  const contextKeys = (await values('', CONTEXT_KEYS_FIELD)).map((k) => k.value);
  const perField = await Promise.all([
    ...SEEN_FIELDS.map((f) => values(f, SEEN_FIELD_ES[f])),
    ...contextKeys.map((k) => values(CONTEXT_FIELD_PREFIX + k, contextValueField(k))),
  ]);
  return perField.flat();
}

export async function readPrincipalDetail(search: Searcher, names: IndexNames, p: PrincipalDetailParams): Promise<PrincipalDetailResult> {
  const audit = names.alias('audit-events');
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  const filter = principalRangeFilter(p.principal, from, to);
  const top = (f: TopField) => esTopList(search, audit, filter, TOP_FIELD_ES[f], p.top);
  const [totalsRes, seenRes, keys, sources, userAgents, regions, errors, actions, seenRows] = await Promise.all([
    search(principalTotalsRequest(p.principal, from, to, audit)),
    search(principalSeenRequest(p.principal, audit)),
    top('kms.key.arn'), top('source.ip'), top('user_agent.original'), top('cloud.region'), top('error.code'), top('event.action'),
    sightings(search, audit, p.principal),
  ]);
  const count = totalOf(seenRes);
  const aggs = seenRes.aggregations as { first?: MinMax; last?: MinMax } | undefined;
  const latest = (seenRes.hits.hits[0]?._source as { keyscope?: { record?: { principal?: { type?: Identity['type']; accountId?: string | null } } } } | undefined)?.keyscope?.record?.principal;
  const fresh = newSightings(seenRows, p);
  return {
    seen: count === 0 ? null : { firstSeen: iso(aggs?.first?.value ?? 0), lastSeen: iso(aggs?.last?.value ?? 0), count },
    identity: latest === undefined ? null : { type: latest.type ?? 'Unknown', accountId: latest.accountId ?? null },
    totals: { calls: totalOf(totalsRes), failures: (totalsRes.aggregations?.failures as { doc_count: number } | undefined)?.doc_count ?? 0 },
    keys, sources, userAgents, regions, errors, actions,
    newSince: iso(newWindow(p).sinceMs),
    newItems: fresh.items,
    newTruncated: fresh.truncated,
  };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof principalDetailQuestion> = (ctx, p) => readPrincipalDetail(ctx.search, ctx.names, p);
