import type { ElasticsearchAnswerOf } from '../define';
import type { sloStatusQuestion } from './definition';
import { BURN_WINDOW_NAMES, type BurnWindow, type Counts } from '../../detect/slo-math';
import { toMs } from '../common';
import { composeSloStatus, sloWindows, type SloStatusParams, type SloStatusResult } from './definition';
import type { IndexNames } from '../../store/elasticsearch/names';
import { aggsOf } from '../../store/elasticsearch/queries/common';
import { countsOf, sliWindowsRequest } from '../../store/elasticsearch/queries/sli';
import type { Searcher } from '../../store/elasticsearch/search';

/** The SLO window and its four burn-rate windows in one search (a filters bucket each). */
export async function readSloStatus(search: Searcher, names: IndexNames, p: SloStatusParams): Promise<SloStatusResult> {
  const windows = sloWindows(p.slo, toMs(p.now));
  const res = await search(sliWindowsRequest(p.slo, p.slo.filters, { slo: windows.slo, ...windows.burn }, names.alias('key-operations')));
  const buckets = ((aggsOf(res).w as { buckets?: Record<string, Record<string, unknown> & { doc_count: number }> } | undefined)?.buckets ?? {});
  const counts = (name: string): Counts => (buckets[name] === undefined ? { good: 0, total: 0 } : countsOf(buckets[name]));
  const burn = {} as Record<BurnWindow, Counts>;
  for (const w of BURN_WINDOW_NAMES) burn[w] = counts(w);
  return composeSloStatus(p.slo, windows, { slo: counts('slo'), burn });
}

export const elasticsearchAnswer: ElasticsearchAnswerOf<typeof sloStatusQuestion> = (ctx, p) => readSloStatus(ctx.search, ctx.names, p);
