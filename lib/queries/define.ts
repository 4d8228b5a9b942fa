import type { z } from 'zod';

/**
 * One dashboard question, defined once (STYLE.md 1): its name (also the Store method that
 * answers it), its parameters and its result as zod schemas. Route handlers parse input
 * with `params`, the alert scheduler and pages call the Store with parsed values, and
 * tests check answers against `result`.
 */
export type QuestionDefinition<N extends string, P extends z.ZodType, R extends z.ZodType> = {
  readonly name: N;
  readonly description: string;
  readonly params: P;
  readonly result: R;
};

export function defineQuestion<N extends string, P extends z.ZodType, R extends z.ZodType>(
  def: QuestionDefinition<N, P, R>,
): QuestionDefinition<N, P, R> {
  return def;
}

/** Parsed parameters of a question (defaults applied). */
export type ParamsOf<Q> = Q extends QuestionDefinition<string, infer P, z.ZodType> ? z.output<P> : never;
/** Parameters as a caller may write them (before defaults). */
export type InputOf<Q> = Q extends QuestionDefinition<string, infer P, z.ZodType> ? z.input<P> : never;
export type ResultOf<Q> = Q extends QuestionDefinition<string, z.ZodType, infer R> ? z.output<R> : never;
