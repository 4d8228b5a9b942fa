import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/query-language/errors';
import { expectProblem, problem, spanOf, tree } from './helpers';

describe('errors point at the part at fault', () => {
  it('unknown field, with the nearest name', () => {
    expectProblem('evnt.action:Decrypt', 'evnt.action', /Unknown field "evnt.action": did you mean event\.action\?/);
    expectProblem('event.action:Decrypt and action:Encrypt', 'action', /did you mean event\.action/, 1);
    expectProblem('sourceip:10.0.0.1', 'sourceip', /did you mean source\.ip/);
    expectProblem('zzzzzzzzzzzz:1', 'zzzzzzzzzzzz', /^Unknown field "zzzzzzzzzzzz"$/);
    expectProblem('kms.encryption_context:x', 'kms.encryption_context', /kms\.encryption_context\.<key>/);
    expectProblem('kms.encryption_context.a*b:x', 'kms.encryption_context.a*b', /cannot hold a wildcard/);
  });

  it('wildcards on types that do not take them', () => {
    expectProblem('source.ip:10.0.*', '10.0.*', /keyword fields.*ip field.*CIDR/);
    expectProblem('error.message:denied*', 'denied*', /text field/);
    expectProblem('@timestamp:2026-*', '2026-*', /date field.*range/);
    expectProblem('keyscope.cross_account:t*', 't*', /boolean field/);
  });

  it('ranges on types that do not take them, and wildcards in bounds', () => {
    expectProblem('source.ip >= 10.0.0.0', 'source.ip >= 10.0.0.0', /Ranges work on dates and keyword.*CIDR/);
    expectProblem('source.ip:[10.0.0.0 TO 10.0.0.9]', 'source.ip:[10.0.0.0 TO 10.0.0.9]'.slice('source.ip:'.length), /Ranges work/);
    expectProblem('error.message < b', 'error.message < b', /text field/);
    expectProblem('keyscope.cross_account:[false TO true]', '[false TO true]', /boolean field/);
    expectProblem('kms.key.id:[a* TO b]', 'a*', /range bound cannot hold a wildcard/);
  });

  it('bad IPs and CIDR prefixes', () => {
    expectProblem('source.ip:172.01.01.001', '172.01.01.001', /Not an IP address/);
    expectProblem('source.ip:10.0.0.0/33', '10.0.0.0/33', /prefix is 0-32 for IPv4/);
    expectProblem('source.ip:2001:db8::/129', '2001:db8::/129', /prefix is 0-128 for IPv6/);
    expectProblem('source.ip:10.0.0.0/', '10.0.0.0/', /prefix/);
    expectProblem('source.ip:10.0.0.0/-1', '10.0.0.0/-1', /prefix/);
    expectProblem('source.ip:1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9', /Not an IP/);
    expectProblem('source.ip:"kms.amazonaws.com"', '"kms.amazonaws.com"', /Not an IP/);
  });

  it('bad dates', () => {
    expectProblem('@timestamp:2026-02-30', '2026-02-30', /Not a date/);
    expectProblem('@timestamp:2025-02-29', '2025-02-29', /Not a date/);
    expectProblem('@timestamp >= 2026-01-02T24:00:00Z', '2026-01-02T24:00:00Z', /Not a date/);
    expectProblem('@timestamp >= yesterday', 'yesterday', /Not a date/);
    expectProblem('@timestamp:[2026-01-01 TO 2026-13-01]', '2026-13-01', /Not a date/);
    expectProblem('@timestamp >= 2026-01-02T03:04:05+25:00', '2026-01-02T03:04:05+25:00', /Not a date/);
  });

  it('bad booleans', () => {
    expectProblem('keyscope.cross_account:yes', 'yes', /true or false/);
  });

  it('unbalanced parentheses', () => {
    expectProblem('(event.action:Decrypt', '(', /never closed/);
    expectProblem('event.action:Decrypt)', ')', /no \( opens/);
    expectProblem('((a) or b', '(', /never closed/);
    expectProblem('event.action:(Decrypt or Encrypt', '(', /never closed/);
    expectProblem('a or ()', '()', /Empty parentheses/);
    expectProblem('event.action:()', '()', /Empty value list/);
  });

  it('unbalanced quotes, from the opening quote to the end', () => {
    const text = 'event.action:"Decrypt and user.name:x';
    const p = problem(text);
    expect(p.message).toMatch(/Unterminated quote/);
    expect(p.span).toEqual({ start: text.indexOf('"'), end: text.length });
    expectProblem('"kms.encryption_context.a:x', '"kms.encryption_context.a:x', /Unterminated/);
  });

  it('bad escapes', () => {
    expectProblem('user.name:"a\\u0000"', '\\u', /only \\" and \\\\ are escapes/);
    expectProblem('user.name:abc\\', '\\', /backslash must escape/);
  });

  it('dangling and misplaced operators', () => {
    expectProblem('event.action:Decrypt and', 'and', /"and" needs something after it/);
    expectProblem('event.action:Decrypt or', 'or', /"or" needs something after it/);
    expectProblem('not', 'not', /"not" needs something after it/);
    expectProblem('a and or b', 'and', /"and" needs something after it/);
    expectProblem('(a or) and b', 'or', /"or" needs something after it/);
    expectProblem('or a', 'or', /"or" needs something before it/);
    expectProblem('AND a', 'AND', /"and" needs something before it/);
    expectProblem('event.action:(Decrypt or)', 'or', /needs something after it/);
    expectProblem('event.action:(Decrypt Encrypt)', 'Encrypt', /Expected "or", "and" or \)/);
    expectProblem('event.action:and', 'and', /operator: quote it/);
    expectProblem('event.action:(or x)', 'or', /operator: quote it/);
    expectProblem(':Decrypt', ':', /field name must come before/);
    expectProblem('>= 3', '>=', /field name must come before/);
    expectProblem('event.action=Decrypt', '=', /event\.action:value/);
  });

  it('empty values', () => {
    expectProblem('event.action:', 'event.action:', /Empty value/);
    expectProblem('event.action:   and x', 'and', /operator/);
    expectProblem('event.action: ) ', 'event.action:', /Empty value/);
    expectProblem('event.action:""', '""', /Empty value/);
    expectProblem('""', '""', /Empty value/);
    expectProblem('kms.key.id >=', 'kms.key.id >=', /Empty value/);
    expectProblem('kms.key.id:[a TO ]', 'TO', /Empty value/);
    expectProblem('kms.key.id:[TO b]', 'TO', /Missing range bound/);
    expectProblem('kms.key.id:[a b]', 'b', /Expected TO/);
    expectProblem('kms.key.id:[a', '[', /Expected TO/);
    expectProblem('kms.key.id:[a TO b', '[', /Expected \] or \}/);
  });

  it('limits: query length, value length, nesting depth', () => {
    const long = `event.action:${'x'.repeat(LIMITS.queryLength)}`;
    expect(problem(long)).toMatchObject({ message: expect.stringMatching(/at most 4,096 characters/), span: { start: 4096, end: long.length } });
    const full = `${'a or '.repeat(Math.floor((LIMITS.queryLength - 1) / 5))}a`;
    expect(full.length).toBeGreaterThan(LIMITS.queryLength - 5);
    expect(full.length).toBeLessThanOrEqual(LIMITS.queryLength);
    expect(tree(full).kind).toBe('or');

    const value = 'v'.repeat(LIMITS.valueLength + 1);
    expectProblem(`user.name:${value}`, value, /at most 1,024 characters/);
    expectProblem(`user.name:"${value}"`, `"${value}"`, /at most 1,024/);
    expectProblem(`user.name:${value}*`, `${value}*`, /at most 1,024/);
    expectProblem(`"${value}"`, `"${value}"`, /at most 1,024/);
    expect(tree(`user.name:${'v'.repeat(LIMITS.valueLength)}`).kind).toBe('term');

    const ok = `${'('.repeat(LIMITS.depth)}a${')'.repeat(LIMITS.depth)}`;
    expect(tree(ok).kind).toBe('or');
    const deep = `${'('.repeat(LIMITS.depth + 1)}a${')'.repeat(LIMITS.depth + 1)}`;
    const p = problem(deep);
    expect(p.message).toMatch(/deeper than 32/);
    expect(p.span).toEqual({ start: LIMITS.depth, end: LIMITS.depth + 1 });
    const nots = `${'not '.repeat(LIMITS.depth + 1)}a`;
    expect(problem(nots).span).toEqual(spanOf(nots, 'not', LIMITS.depth));
    const list = `event.action:${'('.repeat(LIMITS.depth + 1)}a${')'.repeat(LIMITS.depth + 1)}`;
    expect(problem(list).span).toEqual({ start: 13 + LIMITS.depth, end: 14 + LIMITS.depth });
  });

  it('never throws: random text gives a tree or a problem inside the text', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const parts = ['event.action', ':', ' ', '(', ')', '"', '\\', '*', '?', 'and', 'or', 'not', '[', ']', '{', '}', 'TO', '>=', '<', 'x', '10.0.0.0/8', 'source.ip', '@timestamp', '2026-01-02'];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(rand() * 12) }, () => parts[Math.floor(rand() * parts.length)]).join(rand() < 0.5 ? ' ' : '');
      const r = problemOrTree(text);
      if (r !== null) {
        expect(r.start).toBeGreaterThanOrEqual(0);
        expect(r.end).toBeLessThanOrEqual(text.length);
        expect(r.start).toBeLessThanOrEqual(r.end);
      }
    }
  });
});

function problemOrTree(text: string): { start: number; end: number } | null {
  try {
    tree(text);
    return null;
  } catch {
    return problem(text).span;
  }
}
