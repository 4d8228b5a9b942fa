import type { QueryNode, Span } from './ast';
import { buildTree } from './build';
import { LIMITS, QueryError } from './errors';
import { parseSyntax } from './syntax';

export type ParseResult = { ok: true; tree: QueryNode } | { ok: false; error: { message: string; span: Span } };

/** Query text → tree, or the first problem with the span it is at (docs/search-language.md). */
export function parseQuery(text: string): ParseResult {
  if (text.length > LIMITS.queryLength) {
    return { ok: false, error: { message: `A query may be at most ${LIMITS.queryLength.toLocaleString('en')} characters`, span: { start: LIMITS.queryLength, end: text.length } } };
  }
  try {
    return { ok: true, tree: buildTree(parseSyntax(text)) };
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, error: e.problem };
    throw e;
  }
}
