import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatQuery, withClause } from '../../lib/query-language/format';
import { parseQuery } from '../../lib/query-language/parse';
import { queryTree } from './arbitraries';
import { term, tree } from './helpers';

const SEED = 20260114;

describe('formatQuery', () => {
  it('gives canonical text that parses back to the same tree (generated trees, seeded)', () => {
    fc.assert(
      fc.property(queryTree, (t) => {
        const text = formatQuery(t);
        const back = parseQuery(text);
        expect(back, text).toEqual({ ok: true, tree: t });
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('is a fixed point on its own output for parsed text', () => {
    for (const q of ['Decrypt or *app*', 'event.action:(Decrypt or Encrypt) not error.code:*', '@timestamp:2026-01-02 and source.ip:10.1.2.3/8', 'kms.key.id:{a TO b]']) {
      const once = formatQuery(tree(q));
      expect(formatQuery(tree(once))).toBe(once);
    }
  });

  it('quotes values and escapes wildcard literals', () => {
    expect(formatQuery(term('user.name', 'a"b\\c'))).toBe('user.name:"a\\"b\\\\c"');
    expect(formatQuery(term('event.action', 'and'))).toBe('event.action:"and"');
    expect(formatQuery({ kind: 'wildcard', field: 'user.name', segments: [{ kind: 'literal', text: 'a b(*)?' }, { kind: 'any' }] })).toBe('user.name:a\\ b\\(\\*\\)\\?*');
    expect(formatQuery(term('kms.encryption_context.aws:s3:arn', 'x'))).toBe('"kms.encryption_context.aws:s3:arn":"x"');
    expect(formatQuery(term('keyscope.cross_account', true))).toBe('keyscope.cross_account:true');
    expect(formatQuery({ kind: 'all' })).toBe('');
  });

  it('puts nested and/or in parentheses', () => {
    const A = term('event.action', 'Decrypt');
    const B = term('cloud.region', 'x');
    expect(formatQuery({ kind: 'and', children: [{ kind: 'or', children: [A, B] }, { kind: 'not', child: { kind: 'and', children: [A, B] } }] })).toBe(
      '(event.action:"Decrypt" or cloud.region:"x") and not (event.action:"Decrypt" and cloud.region:"x")',
    );
  });
});

describe('withClause', () => {
  const V = term('event.action', 'Decrypt');
  it('adds to empty text alone', () => {
    expect(withClause('', 'event.action', 'Decrypt', 'include')).toBe('event.action:"Decrypt"');
    expect(withClause('  ', 'event.action', 'Decrypt', 'exclude')).toBe('not event.action:"Decrypt"');
  });

  it('appends with and, and wraps text that has a top-level or', () => {
    expect(withClause('cloud.region:x', 'event.action', 'Decrypt', 'include')).toBe('cloud.region:x and event.action:"Decrypt"');
    expect(withClause('a or b', 'event.action', 'Decrypt', 'include')).toBe('(a or b) and event.action:"Decrypt"');
    expect(tree(withClause('cloud.region:x or cloud.region:y', 'event.action', 'Decrypt', 'exclude'))).toEqual({
      kind: 'and', children: [{ kind: 'or', children: [term('cloud.region', 'x'), term('cloud.region', 'y')] }, { kind: 'not', child: V }],
    });
    // An or inside parentheses or a value list is not top-level.
    expect(withClause('event.action:(a or b)', 'cloud.region', 'x', 'include')).toBe('event.action:(a or b) and cloud.region:"x"');
    expect(withClause('a b', 'cloud.region', 'x', 'include')).toBe('a b and cloud.region:"x"');
  });

  it('keeps hostile values as one value', () => {
    for (const value of ['x") or event.action:("y', '\\"', 'a\\', ') or (', '*', 'not', '\u0000']) {
      expect(tree(withClause('cloud.region:r', 'user.name', value, 'include'))).toEqual({ kind: 'and', children: [term('cloud.region', 'r'), term('user.name', value)] });
    }
  });

  it('means the old query and the new clause (generated queries, seeded)', () => {
    fc.assert(
      fc.property(queryTree, fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.boolean(), (t, value, exclude) => {
        const text = formatQuery(t);
        const out = tree(withClause(text, 'user.name', value, exclude ? 'exclude' : 'include'));
        const clause = exclude ? { kind: 'not' as const, child: term('user.name', value) } : term('user.name', value);
        const expected = t.kind === 'and' ? [...t.children, clause] : [t, clause];
        expect(out).toEqual({ kind: 'and', children: expected });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
