import type { Span, WildcardSegment } from './ast';
import { QueryError, span } from './errors';

/**
 * Tokens on demand, in the mode the parser is in: a field name ends at ':' or a comparison,
 * a value does not (ARNs and IPv6 addresses carry colons), a range bound ends at ']' or '}'.
 */
export type LexMode = 'field' | 'value' | 'bound';
export type CmpOp = '<' | '<=' | '>' | '>=' | '=';
export type Word = { t: 'word'; raw: string; text: string; pattern: WildcardSegment[] | null; span: Span };
export type Quoted = { t: 'quoted'; text: string; closed: boolean; span: Span };
export type Token =
  | Word
  | Quoted
  | { t: '(' | ')' | '[' | ']' | '{' | '}' | ':'; span: Span }
  | { t: 'cmp'; op: CmpOp; span: Span }
  | { t: 'eof'; span: Span };

const STOP: Record<LexMode, string> = { field: '()":<>=', value: '()"', bound: '()"]}' };
const isSpace = (c: string): boolean => /\s/.test(c);
const KEYWORDS = new Set(['and', 'or', 'not']);

/** An unescaped and, or, not (any case): an operator, not a value. */
export function keywordOf(tok: Token): 'and' | 'or' | 'not' | null {
  if (tok.t !== 'word' || tok.raw !== tok.text) return null;
  const k = tok.raw.toLowerCase();
  return KEYWORDS.has(k) ? (k as 'and' | 'or' | 'not') : null;
}

export class Lexer {
  pos = 0;
  private cache: { pos: number; mode: LexMode; tok: Token } | null = null;

  /** `tolerant` (autocomplete) returns an unterminated quote or a trailing backslash as a token instead of failing. */
  constructor(readonly text: string, private readonly tolerant = false) {}

  skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos] as string)) this.pos++;
  }

  peek(mode: LexMode): Token {
    this.skipSpace();
    if (this.cache?.pos === this.pos && this.cache.mode === mode) return this.cache.tok;
    const tok = this.lex(mode);
    this.cache = { pos: this.pos, mode, tok };
    return tok;
  }

  next(mode: LexMode): Token {
    const tok = this.peek(mode);
    this.pos = tok.span.end;
    return tok;
  }

  private lex(mode: LexMode): Token {
    const { text } = this;
    const start = this.pos;
    if (start >= text.length) return { t: 'eof', span: span(start, start) };
    const c = text[start] as string;
    if (c === '(' || c === ')') return { t: c, span: span(start, start + 1) };
    if (c === '"') return this.quoted(start);
    if (mode === 'field') {
      if (c === ':') return { t: ':', span: span(start, start + 1) };
      if (c === '<' || c === '>') {
        const eq = text[start + 1] === '=';
        return { t: 'cmp', op: eq ? (`${c}=` as CmpOp) : c, span: span(start, start + (eq ? 2 : 1)) };
      }
      if (c === '=') return { t: 'cmp', op: '=', span: span(start, start + 1) };
    }
    if (mode === 'value' && (c === '[' || c === '{')) return { t: c, span: span(start, start + 1) };
    if (mode === 'bound' && (c === ']' || c === '}')) return { t: c, span: span(start, start + 1) };
    return this.word(start, STOP[mode]);
  }

  private quoted(start: number): Quoted {
    const { text } = this;
    let out = '';
    let i = start + 1;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') return { t: 'quoted', text: out, closed: true, span: span(start, i + 1) };
      if (c === '\\') {
        const n = text[i + 1];
        if (n === '"' || n === '\\') { out += n; i += 2; continue; }
        if (n === undefined) break;
        if (!this.tolerant) throw new QueryError('In quotes only \\" and \\\\ are escapes: write \\\\ for a backslash', span(i, i + 2));
        out += n;
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    if (!this.tolerant) throw new QueryError('Unterminated quote: add the closing "', span(start, text.length));
    return { t: 'quoted', text: out, closed: false, span: span(start, text.length) };
  }

  private word(start: number, stop: string): Word {
    const { text } = this;
    const segments: WildcardSegment[] = [];
    let literal = '';
    let wild = false;
    let i = start;
    const flush = (): void => {
      if (literal !== '') segments.push({ kind: 'literal', text: literal });
      literal = '';
    };
    while (i < text.length) {
      const c = text[i] as string;
      if (isSpace(c) || stop.includes(c)) break;
      if (c === '\\') {
        if (i + 1 >= text.length) {
          if (this.tolerant) { i++; break; }
          throw new QueryError('A backslash must escape a character', span(i, i + 1));
        }
        // Keep a surrogate pair together.
        const n = String.fromCodePoint(text.codePointAt(i + 1) as number);
        literal += n;
        i += 1 + n.length;
        continue;
      }
      if (c === '*' || c === '?') {
        flush();
        wild = true;
        const last = segments[segments.length - 1];
        if (c === '?') segments.push({ kind: 'one' });
        else if (last?.kind !== 'any') segments.push({ kind: 'any' });
        i++;
        continue;
      }
      literal += c;
      i++;
    }
    flush();
    const plain = segments.map((s) => (s.kind === 'literal' ? s.text : '')).join('');
    return { t: 'word', raw: text.slice(start, i), text: plain, pattern: wild ? segments : null, span: span(start, i) };
  }
}
