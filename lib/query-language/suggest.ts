import type { Span } from './ast';
import { QueryError } from './errors';
import { AUDIT_FIELDS, resolveField, type FieldType } from './fields';
import { Lexer } from './lexer';
import { ProbeReached, parseSyntax, type Probe } from './syntax';

export type Completion =
  | { kind: 'field'; prefix: string; span: Span }
  | { kind: 'value'; field: string; prefix: string; span: Span }
  | null;

/**
 * What to complete at the cursor and which span a choice replaces: the parser reads the text
 * up to the cursor and stops where it wanted a field or a value; the span runs on to the end
 * of the word under the cursor. Pure and cheap: it runs on every keystroke.
 */
export function completionAt(text: string, cursor: number): Completion {
  const at = Math.max(0, Math.min(cursor, text.length));
  let probe: Probe | null = null;
  try {
    parseSyntax(text.slice(0, at), true);
    return null;
  } catch (e) {
    if (e instanceof ProbeReached) probe = e.probe;
    else if (e instanceof QueryError) return null;
    else throw e;
  }
  if (probe === null) return null;
  const span = wholeToken(text, probe, at);
  if (probe.kind === 'field') return { kind: 'field', prefix: probe.prefix, span };
  const spec = resolveField(probe.field);
  return spec === null ? null : { kind: 'value', field: spec.name, prefix: probe.prefix, span };
}

/** The probed token as it runs on past the cursor in the whole text. */
function wholeToken(text: string, probe: Probe, cursor: number): Span {
  const start = probe.span.start;
  if (probe.span.end === start && (cursor >= text.length || /\s/.test(text[cursor] as string))) return { start, end: start };
  const lex = new Lexer(text, true);
  lex.pos = start;
  const tok = lex.peek(probe.kind === 'field' ? 'field' : 'value');
  return (tok.t === 'word' || tok.t === 'quoted') && tok.span.start === start ? tok.span : probe.span;
}

export type FieldSuggestion = { name: string; type: FieldType; description: string };

/**
 * Catalog fields for a typed prefix: names that start with it first, then names with a part
 * that does ("act" → event.action), then any that contain it. Context keys are the caller's.
 */
export function suggestFields(prefix: string, limit = 30): FieldSuggestion[] {
  const p = prefix.toLowerCase();
  const rank = (name: string): number => {
    const n = name.toLowerCase();
    if (n.startsWith(p)) return 0;
    if (n.split(/[._]/).some((part) => part.startsWith(p))) return 1;
    return n.includes(p) ? 2 : 3;
  };
  return AUDIT_FIELDS.map((f) => ({ f, r: rank(f.name) }))
    .filter((x) => x.r < 3)
    .sort((a, b) => a.r - b.r)
    .slice(0, limit)
    .map(({ f }) => ({ name: f.name, type: f.type, description: f.description }));
}
