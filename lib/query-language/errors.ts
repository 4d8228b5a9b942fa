import type { Span } from './ast';

/** A query the user must fix: the message is shown beside the text, the span underlines the part at fault. */
export type QueryProblem = { message: string; span: Span };

export class QueryError extends Error {
  constructor(message: string, readonly span: Span) {
    super(message);
    this.name = 'QueryError';
  }
  get problem(): QueryProblem {
    return { message: this.message, span: this.span };
  }
}

export const span = (start: number, end: number): Span => ({ start, end });
export const join = (a: Span, b: Span): Span => ({ start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) });

export const LIMITS = Object.freeze({ queryLength: 4096, valueLength: 1024, depth: 32 });
