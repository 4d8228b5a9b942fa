import type { z } from 'zod';
import type { Role } from '../auth/roles';
import type { SloDefinition } from '../detect/slo-config';
import type { ElasticsearchAnswerContext } from '../store/elasticsearch/answer-context';
import type { SqliteAnswerContext } from '../store/sqlite/answer-context';
import { READ_TIME_LIMIT_MS } from './cost';

/** What one question may cost a store (issue 13): how long it may read, and, where it reads raw rows, how many. */
export type QuestionCost = { timeLimitMs: number; maxRows?: number };

/**
 * One dashboard question, defined once (STYLE.md 1): its name (the route segment
 * /api/questions/<name> and the registry key), its parameters and result as zod schemas,
 * who may ask it and what it may cost. The generic route parses input with `params`
 * (or `request`, for a question the browser asks in another shape), the store answers
 * with parsed values, and tests check answers against `result`.
 */
export type QuestionDefinition<N extends string, P extends z.ZodType, R extends z.ZodType> = {
  readonly name: N;
  readonly description: string;
  readonly params: P;
  readonly result: R;
  /** Roles that may ask through the route (the in-process callers, ingest and tests, are trusted). */
  readonly audience: readonly Role[];
  readonly cost: QuestionCost;
};

/** One backend's answer: parsed parameters in, a result of the question's schema out. */
export type SqliteAnswer<P extends z.ZodType, R extends z.ZodType> = (ctx: SqliteAnswerContext, params: z.output<P>) => Promise<z.output<R>>;
export type ElasticsearchAnswer<P extends z.ZodType, R extends z.ZodType> = (ctx: ElasticsearchAnswerContext, params: z.output<P>) => Promise<z.output<R>>;

/** What the server knows that a browser's request may refer to (e.g. an SLO by id). */
export type RequestEnv = { slos: () => Promise<SloDefinition[]> };

/**
 * A question the browser asks in another shape than the store answers it (sloStatus: by SLO
 * id, the definition staying in the server's config): the route parses `params`, then `resolve`s.
 */
export type QuestionRequest<S extends z.ZodType, P extends z.ZodType> = {
  readonly params: S;
  readonly resolve: (request: z.output<S>, env: RequestEnv) => Promise<z.output<P>>;
};

/** A definition with its answer on every backend: what `Store.answer` takes. */
export type Question<N extends string = string, P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = QuestionDefinition<N, P, R> & {
  readonly answers: { readonly sqlite: SqliteAnswer<P, R>; readonly elasticsearch: ElasticsearchAnswer<P, R> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the request's own schema varies per question
  readonly request?: QuestionRequest<any, P>;
};

export function defineQuestion<N extends string, P extends z.ZodType, R extends z.ZodType>(
  def: Omit<QuestionDefinition<N, P, R>, 'cost'> & { cost?: Partial<QuestionCost> },
): QuestionDefinition<N, P, R> {
  return { ...def, cost: { timeLimitMs: READ_TIME_LIMIT_MS, ...def.cost } };
}

/** Joins a definition with its backends' answers (lib/questions/registry.ts). */
export function withAnswers<N extends string, P extends z.ZodType, R extends z.ZodType, S extends z.ZodType = P>(
  def: QuestionDefinition<N, P, R>,
  answers: Question<N, P, R>['answers'],
  request?: QuestionRequest<S, P>,
): Question<N, P, R> & { readonly requestParams: S } {
  const requestParams = (request?.params ?? def.params) as S;
  return request === undefined ? { ...def, answers, requestParams } : { ...def, answers, request, requestParams };
}

/** Parsed parameters of a question (defaults applied). */
export type ParamsOf<Q> = Q extends QuestionDefinition<string, infer P, z.ZodType> ? z.output<P> : never;
/** Parameters as a caller may write them (before defaults). */
export type InputOf<Q> = Q extends QuestionDefinition<string, infer P, z.ZodType> ? z.input<P> : never;
export type ResultOf<Q> = Q extends QuestionDefinition<string, z.ZodType, infer R> ? z.output<R> : never;
/** What a browser sends for a question (its request shape, else its parameters), before defaults. */
export type RequestInputOf<Q> = Q extends { readonly requestParams: infer S extends z.ZodType } ? z.input<S> : InputOf<Q>;

export type SqliteAnswerOf<Q> = Q extends QuestionDefinition<string, infer P, infer R> ? SqliteAnswer<P, R> : never;
export type ElasticsearchAnswerOf<Q> = Q extends QuestionDefinition<string, infer P, infer R> ? ElasticsearchAnswer<P, R> : never;
