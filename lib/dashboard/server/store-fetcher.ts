import 'server-only';
import type { Question } from '../../questions/define';
import { questionNamed } from '../../questions/registry';
import type { QuestionFetcher } from '../question-fetcher';
import { getReadStore, getSloDefinitions } from './store-access';

/**
 * Parses untrusted input with the question's schema (its request shape where it has one,
 * then resolved on the server) and asks the store: the one path from a page or a route to
 * a store, so user input reaches it only as validated, structured values.
 */
export async function answerRequest(question: Question, input: unknown, signal?: AbortSignal): Promise<unknown> {
  const params = question.request === undefined
    ? question.params.parse(input)
    : await question.request.resolve(question.request.params.parse(input), { slos: getSloDefinitions });
  return (await getReadStore()).answer(question, params, { signal });
}

/** The fetcher over the store itself: the server page prefetches with it, with no HTTP round trip to our own routes. */
export const storeFetcher: QuestionFetcher = (name, request, signal) => answerRequest(questionNamed(name)!, request, signal) as never;
