import type { Span } from './ast';
import { LIMITS, QueryError, join, span } from './errors';
import { Lexer, keywordOf, type CmpOp, type LexMode, type Quoted, type Token, type Word } from './lexer';

/**
 * The query's shape before fields and values are checked (build.ts does that). Precedence
 * not > and > or; between clauses a space means and; inside a value list the operator is
 * written out (`field:(a or b)`), since a space there reads as "either" to some and "both" to others.
 */
export type Val = { text: string; quoted: boolean; pattern: Word['pattern']; span: Span };
export type FieldRef = { name: string; span: Span };
export type ValueExpr =
  | { t: 'and' | 'or'; children: ValueExpr[] }
  | { t: 'not'; child: ValueExpr }
  | { t: 'value'; value: Val }
  | { t: 'range'; lower: Val | null; upper: Val | null; lowerInclusive: boolean; upperInclusive: boolean; span: Span };
export type Syntax =
  | { t: 'empty' }
  | { t: 'and' | 'or'; children: Syntax[] }
  | { t: 'not'; child: Syntax }
  | { t: 'bare'; value: Val }
  | { t: 'field'; field: FieldRef; expr: ValueExpr; colon: Span }
  | { t: 'compare'; field: FieldRef; op: Exclude<CmpOp, '='>; value: Val; opSpan: Span };

/** What autocomplete should offer where the text ends (the parser stops there). */
export type Probe = { kind: 'field'; prefix: string; span: Span } | { kind: 'value'; field: string; prefix: string; span: Span; quoted: boolean };
export class ProbeReached {
  constructor(readonly probe: Probe | null) {}
}

type Ctx = 'top' | 'value';

export function parseSyntax(text: string, probing = false): Syntax {
  return new Parser(text, probing).query();
}

class Parser {
  private readonly lex: Lexer;
  constructor(private readonly text: string, private readonly probing: boolean) {
    this.lex = new Lexer(text, probing);
  }

  query(): Syntax {
    if (this.lex.peek('field').t === 'eof') {
      if (this.probing) this.stop({ kind: 'field', prefix: '', span: span(this.text.length, this.text.length) });
      return { t: 'empty' };
    }
    const node = this.or(0);
    const tok = this.lex.peek('field');
    // Past a complete clause: a space means the next clause (implicit and) starts at the cursor.
    if (this.probing && tok.t === 'eof') this.stop(/\s$/.test(this.text) ? { kind: 'field', prefix: '', span: tok.span } : null);
    if (tok.t === ')') throw new QueryError('Unbalanced parenthesis: no ( opens this )', tok.span);
    if (tok.t !== 'eof') throw new QueryError('Unexpected text', tok.span);
    return node;
  }

  private stop(probe: Probe | null): never {
    throw new ProbeReached(probe);
  }

  private atEnd(tok: Token): boolean {
    return tok.span.end === this.text.length;
  }

  /** An operator needs something on its right. */
  private operand(op: Token, ctx: Ctx): void {
    const tok = this.lex.peek(ctx === 'top' ? 'field' : 'value');
    const k = keywordOf(tok);
    if (tok.t === 'eof' && this.probing) return;
    if (tok.t === 'eof' || tok.t === ')' || k === 'and' || k === 'or') {
      const word = keywordOf(op) ?? 'operator';
      throw new QueryError(`"${word}" needs something after it`, op.span);
    }
  }

  private or(depth: number): Syntax {
    const children = [this.and(depth)];
    for (;;) {
      const tok = this.lex.peek('field');
      if (keywordOf(tok) !== 'or') break;
      this.lex.next('field');
      this.operand(tok, 'top');
      children.push(this.and(depth));
    }
    return children.length === 1 ? (children[0] as Syntax) : { t: 'or', children };
  }

  private and(depth: number): Syntax {
    const children = [this.not(depth)];
    for (;;) {
      const tok = this.lex.peek('field');
      const k = keywordOf(tok);
      if (k === 'and') {
        this.lex.next('field');
        this.operand(tok, 'top');
      } else if (k === 'or' || tok.t === 'eof' || tok.t === ')') break;
      children.push(this.not(depth));
    }
    return children.length === 1 ? (children[0] as Syntax) : { t: 'and', children };
  }

  private not(depth: number): Syntax {
    const tok = this.lex.peek('field');
    if (keywordOf(tok) !== 'not' || tok.t !== 'word') return this.primary(depth);
    if (this.probing && this.atEnd(tok)) this.stop({ kind: 'field', prefix: tok.raw, span: tok.span });
    this.lex.next('field');
    this.deeper(depth, tok.span);
    this.operand(tok, 'top');
    return { t: 'not', child: this.not(depth + 1) };
  }

  private deeper(depth: number, at: Span): void {
    if (depth + 1 > LIMITS.depth) throw new QueryError(`Nesting deeper than ${LIMITS.depth} levels`, at);
  }

  private primary(depth: number): Syntax {
    const tok = this.lex.next('field');
    switch (tok.t) {
      case 'eof':
        if (this.probing) this.stop({ kind: 'field', prefix: '', span: tok.span });
        throw new QueryError('Expected a clause', tok.span);
      case '(': {
        this.deeper(depth, tok.span);
        if (this.lex.peek('field').t === ')') throw new QueryError('Empty parentheses', join(tok.span, this.lex.peek('field').span));
        const inner = this.or(depth + 1);
        const close = this.lex.next('field');
        if (close.t !== ')') {
          if (close.t === 'eof') throw new QueryError('Unbalanced parenthesis: this ( is never closed', tok.span);
          throw new QueryError('Expected )', close.span);
        }
        return inner;
      }
      case ')':
        throw new QueryError('Unbalanced parenthesis: no ( opens this )', tok.span);
      case ':':
        throw new QueryError('A field name must come before ":"', tok.span);
      case 'cmp':
        throw new QueryError(`A field name must come before "${tok.op}"`, tok.span);
      case 'word':
      case 'quoted': {
        const k = keywordOf(tok);
        if ((k === 'and' || k === 'or') && !(this.probing && this.atEnd(tok))) throw new QueryError(`"${k}" needs something before it`, tok.span);
        return this.clause(tok, depth);
      }
      default:
        throw new QueryError('Unexpected character', tok.span);
    }
  }

  /** A field clause when ':' or a comparison follows the word, else a bare value. */
  private clause(tok: Word | Quoted, depth: number): Syntax {
    const after = this.lex.peek('field');
    if (after.t === ':' || after.t === 'cmp') {
      const field: FieldRef = { name: tok.text, span: tok.span };
      if (tok.t === 'word' && tok.pattern !== null) throw new QueryError('A field name cannot hold a wildcard', tok.span);
      this.lex.next('field');
      if (after.t === 'cmp') {
        if (after.op === '=') throw new QueryError(`Write ${field.name}:value for equality`, after.span);
        return { t: 'compare', field, op: after.op, value: this.single(field, after.span, 'value'), opSpan: after.span };
      }
      return { t: 'field', field, expr: this.valueExpr(field, after.span, depth), colon: after.span };
    }
    if (this.probing && this.atEnd(tok)) this.stop(tok.t === 'word' ? { kind: 'field', prefix: tok.text, span: tok.span } : null);
    return { t: 'bare', value: valOf(tok) };
  }

  private valueExpr(field: FieldRef, colon: Span, depth: number): ValueExpr {
    const tok = this.lex.peek('value');
    if (tok.t === '(') {
      this.lex.next('value');
      this.deeper(depth, tok.span);
      if (this.lex.peek('value').t === ')') throw new QueryError('Empty value list', join(tok.span, this.lex.peek('value').span));
      const inner = this.valueOr(field, colon, depth + 1);
      const close = this.lex.next('value');
      if (close.t === ')') return inner;
      if (close.t === 'eof') throw new QueryError('Unbalanced parenthesis: this ( is never closed', tok.span);
      throw new QueryError('Expected "or", "and" or ) between values', close.span);
    }
    if (tok.t === '[' || tok.t === '{') return this.range(field);
    return { t: 'value', value: this.single(field, colon, 'value') };
  }

  private valueOr(field: FieldRef, colon: Span, depth: number): ValueExpr {
    const children = [this.valueAnd(field, colon, depth)];
    while (keywordOf(this.lex.peek('value')) === 'or') {
      const op = this.lex.next('value');
      this.operand(op, 'value');
      children.push(this.valueAnd(field, colon, depth));
    }
    return children.length === 1 ? (children[0] as ValueExpr) : { t: 'or', children };
  }

  private valueAnd(field: FieldRef, colon: Span, depth: number): ValueExpr {
    const children = [this.valueNot(field, colon, depth)];
    while (keywordOf(this.lex.peek('value')) === 'and') {
      const op = this.lex.next('value');
      this.operand(op, 'value');
      children.push(this.valueNot(field, colon, depth));
    }
    return children.length === 1 ? (children[0] as ValueExpr) : { t: 'and', children };
  }

  private valueNot(field: FieldRef, colon: Span, depth: number): ValueExpr {
    const tok = this.lex.peek('value');
    if (keywordOf(tok) === 'not' && tok.t === 'word') {
      if (this.probing && this.atEnd(tok)) this.stop({ kind: 'value', field: field.name, prefix: tok.raw, span: tok.span, quoted: false });
      this.lex.next('value');
      this.deeper(depth, tok.span);
      this.operand(tok, 'value');
      return { t: 'not', child: this.valueNot(field, colon, depth + 1) };
    }
    if (tok.t === '(') {
      this.lex.next('value');
      this.deeper(depth, tok.span);
      const inner = this.valueOr(field, colon, depth + 1);
      const close = this.lex.next('value');
      if (close.t !== ')') throw new QueryError(close.t === 'eof' ? 'Unbalanced parenthesis: this ( is never closed' : 'Expected )', close.t === 'eof' ? tok.span : close.span);
      return inner;
    }
    if (tok.t === '[' || tok.t === '{') return this.range(field);
    return { t: 'value', value: this.single(field, colon, 'value') };
  }

  /** One value (word or quoted); `after` is what precedes it, for the "empty value" error. */
  private single(field: FieldRef, after: Span, mode: LexMode): Val {
    const tok = this.lex.peek(mode);
    if (this.probing) {
      if (tok.t === 'eof') this.stop({ kind: 'value', field: field.name, prefix: '', span: tok.span, quoted: false });
      if ((tok.t === 'word' || tok.t === 'quoted') && this.atEnd(tok) && !(tok.t === 'quoted' && tok.closed)) {
        this.stop({ kind: 'value', field: field.name, prefix: tok.text, span: tok.span, quoted: tok.t === 'quoted' });
      }
    }
    const k = keywordOf(tok);
    if (k !== null) throw new QueryError(`"${tok.t === 'word' ? tok.raw : k}" is an operator: quote it to search for the word`, tok.span);
    if (tok.t !== 'word' && tok.t !== 'quoted') throw new QueryError(`Empty value: ${field.name} needs a value`, mode === 'bound' ? after : join(field.span, after));
    this.lex.next(mode);
    return valOf(tok);
  }

  private range(field: FieldRef): ValueExpr {
    const open = this.lex.next('value');
    const lower = this.bound(field, open.span);
    const to = this.lex.peek('bound');
    if (!(to.t === 'word' && to.raw.toLowerCase() === 'to')) throw new QueryError('Expected TO between the range\'s bounds', to.t === 'eof' ? open.span : to.span);
    this.lex.next('bound');
    const upper = this.bound(field, to.span);
    const close = this.lex.next('bound');
    if (close.t !== ']' && close.t !== '}') throw new QueryError('Expected ] or } to close the range', close.t === 'eof' ? open.span : close.span);
    return {
      t: 'range',
      lower: isStar(lower) ? null : lower,
      upper: isStar(upper) ? null : upper,
      lowerInclusive: open.t === '[',
      upperInclusive: close.t === ']',
      span: join(open.span, close.span),
    };
  }

  private bound(field: FieldRef, after: Span): Val {
    const tok = this.lex.peek('bound');
    if (tok.t === 'word' && tok.raw.toLowerCase() === 'to' && !this.probing) throw new QueryError('Missing range bound (write * for none)', tok.span);
    return this.single(field, after, 'bound');
  }
}

function valOf(tok: Word | Quoted): Val {
  return tok.t === 'word'
    ? { text: tok.text, quoted: false, pattern: tok.pattern, span: tok.span }
    : { text: tok.text, quoted: true, pattern: null, span: tok.span };
}

export function isStar(v: Val): boolean {
  return v.pattern !== null && v.pattern.length === 1 && v.pattern[0]?.kind === 'any';
}
