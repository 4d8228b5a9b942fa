import type { ElasticsearchAnswerOf } from '../define';
import type { failureBreakdownQuestion } from './definition';
import { toMs } from '../common';
import { topFailures, type FailureBreakdownParams, type FailureBreakdownResult } from './definition';
import type { IndexNames } from '../../store/elasticsearch/names';
import { failureGroupsRequest } from './elasticsearch-request';
import { allCompositeBuckets, type Searcher } from '../../store/elasticsearch/search';

export async function readFailureBreakdown(search: Searcher, names: IndexNames, p: FailureBreakdownParams): Promise<FailureBreakdownResult> {
  const index = names.alias('key-operations');
  const buckets = await allCompositeBuckets(search, (after) => failureGroupsRequest(p.by, p.operation, p.filters, toMs(p.from), toMs(p.to), index, after), 'g');
  return topFailures(p.by, buckets.map((b) => ({ key: String(b.key.key), count: b.doc_count })), p.limit);
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof failureBreakdownQuestion> = (ctx, p) => readFailureBreakdown(ctx.search, ctx.names, p);
