import type { QuestionName, QuestionRequestInput, QuestionResult } from '../questions/registry';

/**
 * How a page asks a question, by name: the server page over the store
 * (server/store-fetcher.ts), the browser over /api/questions/<name> (api-fetcher.ts).
 * Query options take either, so keys and shapes are shared and a prefetch hydrates.
 */
export type QuestionFetcher = <N extends QuestionName>(name: N, request: QuestionRequestInput<N>, signal?: AbortSignal) => Promise<QuestionResult<N>>;

/** The one route every question is asked through (app/api/questions/[name]/route.ts). */
export function questionPath(name: QuestionName): string {
  return `/api/questions/${name}`;
}
