import { expect } from 'vitest';
import type { QueryNode, Span } from '../../lib/query-language/ast';
import { parseQuery } from '../../lib/query-language/parse';

export function tree(text: string): QueryNode {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(text.slice(0, 200))} to parse, got ${r.error.message} at ${r.error.span.start}-${r.error.span.end}`);
  return r.tree;
}

/** The error for text that must not parse; `at` is the text its span must cover, searched from `from`. */
export function problem(text: string): { message: string; span: Span; covered: string } {
  const r = parseQuery(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text.slice(0, 200))} to fail, got ${JSON.stringify(r.tree).slice(0, 300)}`);
  return { ...r.error, covered: text.slice(r.error.span.start, r.error.span.end) };
}

/** The span of the n-th (0-based) occurrence of `part` in `text`. */
export function spanOf(text: string, part: string, nth = 0): Span {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(part, at + 1);
    if (at < 0) throw new Error(`${part} not in ${text}`);
  }
  return { start: at, end: at + part.length };
}

export function expectProblem(text: string, part: string, message: RegExp, nth = 0): void {
  const p = problem(text);
  expect(p.message).toMatch(message);
  expect(p.span).toEqual(spanOf(text, part, nth));
}

export const term = (field: string, value: string | boolean): QueryNode => ({ kind: 'term', field, value });
