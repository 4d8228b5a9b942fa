import type { QuestionDefinition } from './define';
import { failureBreakdownQuestion } from './failure-breakdown';
import { filterValuesQuestion } from './filter-values';
import { ingestHealthQuestion } from './ingest-health';
import { keyInventoryQuestion } from './key-inventory';
import { kmsThrottlingQuestion } from './kms-throttling';
import { latencyPercentilesQuestion } from './latency-percentiles';
import { sliSeriesQuestion } from './sli-series';
import { sloStatusQuestion } from './slo-status';
import type { z } from 'zod';

/** The SRE on-call questions; each name is also the Store method that answers it. */
export const ON_CALL_QUESTIONS = [
  sliSeriesQuestion,
  sloStatusQuestion,
  latencyPercentilesQuestion,
  failureBreakdownQuestion,
  kmsThrottlingQuestion,
  ingestHealthQuestion,
  filterValuesQuestion,
] as const;

type AnyQuestion = (typeof ON_CALL_QUESTIONS)[number];
export type OnCallQuestionName = AnyQuestion['name'];

/** The read methods a store implements for these questions, derived from the definitions. */
export type OnCallAnswers = {
  [Q in AnyQuestion as Q['name']]: (params: z.output<Q['params']>) => Promise<z.output<Q['result']>>;
};

/** The security analyst's and executive's questions about keys. */
export const KEY_QUESTIONS = [keyInventoryQuestion] as const;
type KeyQuestion = (typeof KEY_QUESTIONS)[number];
export type KeyAnswers = {
  [Q in KeyQuestion as Q['name']]: (params: z.output<Q['params']>) => Promise<z.output<Q['result']>>;
};

/**
 * Parses untrusted input with the question's schema and asks the store: the one path for
 * route handlers, so user input reaches a store only as validated, structured values.
 */
export async function ask<N extends string, P extends z.ZodType, R extends z.ZodType>(
  store: { [K in N]: (params: z.output<P>) => Promise<z.output<R>> },
  question: QuestionDefinition<N, P, R>,
  input: unknown,
): Promise<z.output<R>> {
  const params = question.params.parse(input);
  return store[question.name](params);
}

export { failureBreakdownQuestion, filterValuesQuestion, ingestHealthQuestion, keyInventoryQuestion, kmsThrottlingQuestion, latencyPercentilesQuestion, sliSeriesQuestion, sloStatusQuestion };
