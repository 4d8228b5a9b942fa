import type { QueryNode, RangeBound, WildcardSegment } from './ast';
import { parseSyntax, type Syntax } from './syntax';

/**
 * Tree → canonical text: every value quoted (wildcards excepted, with their literal characters
 * escaped), every nested and/or in parentheses, so parseQuery(formatQuery(t)) gives t back.
 */
export function formatQuery(node: QueryNode): string {
  return node.kind === 'all' ? '' : fmt(node);
}

const PLAIN_FIELD = /^[\p{L}\p{N}_@.\-/]+$/u;
const KEYWORD = /^(and|or|not)$/i;

export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

function fieldName(name: string): string {
  return PLAIN_FIELD.test(name) && !KEYWORD.test(name) ? name : quote(name);
}

function pattern(segments: WildcardSegment[]): string {
  return segments
    .map((s) => (s.kind === 'any' ? '*' : s.kind === 'one' ? '?' : s.text.replace(/[\s\\()"*?[\]{}]/gu, '\\$&')))
    .join('');
}

function bound(b: RangeBound): string {
  return quote(String(b.value));
}

function group(node: QueryNode): string {
  return node.kind === 'and' || node.kind === 'or' ? `(${fmt(node)})` : fmt(node);
}

function fmt(node: QueryNode): string {
  switch (node.kind) {
    case 'all':
      return '*';
    case 'and':
    case 'or':
      return node.children.map(group).join(` ${node.kind} `);
    case 'not':
      return `not ${group(node.child)}`;
    case 'exists':
      return `${fieldName(node.field)}:*`;
    case 'term':
      return `${fieldName(node.field)}:${typeof node.value === 'boolean' ? String(node.value) : quote(node.value)}`;
    case 'wildcard':
      return `${fieldName(node.field)}:${pattern(node.segments)}`;
    case 'cidr':
      return `${fieldName(node.field)}:${quote(`${node.network}/${node.prefix}`)}`;
    case 'range': {
      const f = fieldName(node.field);
      const { lower, upper } = node;
      if (lower !== undefined && upper !== undefined) {
        return `${f}:${lower.inclusive ? '[' : '{'}${bound(lower)} TO ${bound(upper)}${upper.inclusive ? ']' : '}'}`;
      }
      if (lower !== undefined) return `${f} ${lower.inclusive ? '>=' : '>'} ${bound(lower)}`;
      if (upper !== undefined) return `${f} ${upper.inclusive ? '<=' : '<'} ${bound(upper)}`;
      return `${f}:*`;
    }
  }
}

function topLevelOr(text: string): boolean {
  let s: Syntax;
  try {
    s = parseSyntax(text);
  } catch {
    return true; // not parseable: parentheses keep the new clause out of whatever it is
  }
  return s.t === 'or';
}

/**
 * The user's text with `and field:"value"` (include) or `and not field:"value"` (exclude)
 * appended, as a facet click adds it; text with a top-level or is put in parentheses first.
 */
export function withClause(text: string, field: string, value: string | boolean, mode: 'include' | 'exclude'): string {
  const clause = `${mode === 'exclude' ? 'not ' : ''}${fieldName(field)}:${typeof value === 'boolean' ? String(value) : quote(value)}`;
  const base = text.trim();
  if (base === '') return clause;
  return `${topLevelOr(base) ? `(${base})` : base} and ${clause}`;
}
