import type { ElasticsearchAnswerOf } from '../define';
import type { filterValuesQuestion } from './definition';
import { toMs } from '../common';
import type { FilterValuesParams, FilterValuesResult } from './definition';
import type { IndexNames } from '../../store/elasticsearch/names';
import { aggsOf } from '../../store/elasticsearch/queries/common';
import { filterValuesRequest } from './elasticsearch-request';
import type { Searcher } from '../../store/elasticsearch/search';

export async function readFilterValues(search: Searcher, names: IndexNames, p: FilterValuesParams): Promise<FilterValuesResult> {
  const res = await search(filterValuesRequest(toMs(p.from), toMs(p.to), p.limit, names.alias('key-operations')));
  const aggs = aggsOf(res);
  let truncated = false;
  const list = (name: string): string[] => {
    const buckets = ((aggs[name] as { buckets?: Array<{ key: string }> } | undefined)?.buckets ?? []).map((b) => String(b.key));
    if (buckets.length > p.limit) truncated = true;
    return buckets.slice(0, p.limit);
  };
  return { services: list('services'), tenants: list('tenants'), kekIds: list('kekIds'), truncated };
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof filterValuesQuestion> = (ctx, p) => readFilterValues(ctx.search, ctx.names, p);
