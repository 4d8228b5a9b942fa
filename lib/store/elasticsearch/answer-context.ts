import type { IndexNames } from './names';
import type { Searcher } from './search';

/**
 * What a question's Elasticsearch answer (lib/questions/<name>/elasticsearch.ts) gets: a
 * searcher bound to the request's signal and the question's time limit, the index names,
 * and the store's clock.
 */
export type ElasticsearchAnswerContext = {
  search: Searcher;
  names: IndexNames;
  clock: () => number;
};
