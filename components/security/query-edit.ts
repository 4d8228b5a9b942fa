import type { Span } from '@/lib/query-language/ast';
import { quote, withClause } from '@/lib/query-language/format';
import { CONTEXT_PREFIX, resolveField } from '@/lib/query-language/fields';
import { parseQuery } from '@/lib/query-language/parse';
import { isIp } from '@/lib/query-language/ip';

/** One choice of the query bar's listbox: what it shows and the text it puts in place of the span. */
export type CompletionOption = { id: string; label: string; detail: string; insert: string };

/** The text with `span` replaced by `insert`, and where the cursor goes (just after it). */
export function replaceSpan(text: string, span: Span, insert: string): { text: string; cursor: number } {
  return { text: text.slice(0, span.start) + insert + text.slice(span.end), cursor: span.start + insert.length };
}

/** A value as the query language writes it: addresses bare (CIDR-capable), everything else quoted. */
export function valueText(field: string, value: string): string {
  return resolveField(field)?.type === 'ip' && isIp(value) ? value : quote(value);
}

/**
 * The query with one clause added, as facet and row buttons do: `withClause` for values;
 * the encryption-context facet's values are keys, so its clause is `kms.encryption_context.<key>:*`.
 */
export function addClause(text: string, field: string, value: string | boolean, mode: 'include' | 'exclude'): string {
  if (field === 'kms.encryption_context' && typeof value === 'string') return addExists(text, CONTEXT_PREFIX + value, mode);
  if (typeof value === 'string' && resolveField(field)?.type === 'ip' && isIp(value)) return addRaw(text, `${field}:${value}`, mode);
  return withClause(text, field, value, mode);
}

function addExists(text: string, field: string, mode: 'include' | 'exclude'): string {
  const name = /^[\p{L}\p{N}_@.\-/]+$/u.test(field) ? field : quote(field);
  return addRaw(text, `${name}:*`, mode);
}

/** Appends a clause the way withClause does: a top-level or (or unparseable text) is parenthesised first. */
function addRaw(text: string, clause: string, mode: 'include' | 'exclude'): string {
  const full = `${mode === 'exclude' ? 'not ' : ''}${clause}`;
  const base = text.trim();
  if (base === '') return full;
  const r = parseQuery(base);
  const wrap = !r.ok || r.tree.kind === 'or';
  return `${wrap ? `(${base})` : base} and ${full}`;
}
