import { describe, expect, it } from 'vitest';
import { AUDIT_FIELDS } from '../../lib/query-language/fields';
import { completionAt, suggestFields } from '../../lib/query-language/suggest';

/** `|` marks the cursor. */
function at(marked: string): ReturnType<typeof completionAt> {
  const cursor = marked.indexOf('|');
  return completionAt(marked.replace('|', ''), cursor);
}
const sp = (start: number, end: number) => ({ start, end });

describe('completionAt', () => {
  it('offers fields at the start, after operators and parentheses', () => {
    expect(at('|')).toEqual({ kind: 'field', prefix: '', span: sp(0, 0) });
    expect(at('ev|')).toEqual({ kind: 'field', prefix: 'ev', span: sp(0, 2) });
    expect(at('event.action:Decrypt and us|')).toEqual({ kind: 'field', prefix: 'us', span: sp(25, 27) });
    expect(at('event.action:Decrypt OR (not cl|')).toEqual({ kind: 'field', prefix: 'cl', span: sp(29, 31) });
    expect(at('not |')).toEqual({ kind: 'field', prefix: '', span: sp(4, 4) });
    expect(at('event.action:Decrypt |')).toEqual({ kind: 'field', prefix: '', span: sp(21, 21) });
  });

  it('replaces the whole word under the cursor', () => {
    expect(at('event.ac|tion:Decrypt')).toEqual({ kind: 'field', prefix: 'event.ac', span: sp(0, 12) });
    expect(at('|event.action:Decrypt')).toEqual({ kind: 'field', prefix: '', span: sp(0, 12) });
    expect(at('event.action:De|crypt and x')).toEqual({ kind: 'value', field: 'event.action', prefix: 'De', span: sp(13, 20) });
    expect(at('a and | b')).toEqual({ kind: 'field', prefix: '', span: sp(6, 6) });
  });

  it('offers values after a field, inside lists, ranges and comparisons, with the canonical field name', () => {
    expect(at('event.action:|')).toEqual({ kind: 'value', field: 'event.action', prefix: '', span: sp(13, 13) });
    expect(at('Event.Action:Dec|')).toEqual({ kind: 'value', field: 'event.action', prefix: 'Dec', span: sp(13, 16) });
    expect(at('event.action: |')).toEqual({ kind: 'value', field: 'event.action', prefix: '', span: sp(14, 14) });
    expect(at('event.action:(Decrypt or En|')).toEqual({ kind: 'value', field: 'event.action', prefix: 'En', span: sp(25, 27) });
    expect(at('kms.key.id >= a|')).toEqual({ kind: 'value', field: 'kms.key.id', prefix: 'a', span: sp(14, 15) });
    expect(at('kms.key.id:[a TO b|')).toEqual({ kind: 'value', field: 'kms.key.id', prefix: 'b', span: sp(17, 18) });
    expect(at('kms.encryption_context.Tenant:ac|')).toEqual({ kind: 'value', field: 'kms.encryption_context.Tenant', prefix: 'ac', span: sp(30, 32) });
  });

  it('offers values inside quotes, unescaped, replacing the quoted token', () => {
    expect(at('user.name:"arn:aws:iam::1:role/a\\"b|')).toEqual({ kind: 'value', field: 'user.name', prefix: 'arn:aws:iam::1:role/a"b', span: sp(10, 35) });
    expect(at('user.name:"ar|n" and x')).toEqual({ kind: 'value', field: 'user.name', prefix: 'ar', span: sp(10, 15) });
  });

  it('offers nothing after a closing quote or parenthesis, in an unknown field\'s value, or after an earlier syntax error', () => {
    expect(at('user.name:"x"|')).toBeNull();
    expect(at('(a)|')).toBeNull();
    expect(at('nosuch.field:x|')).toBeNull();
    expect(at('a and and b|')).toBeNull();
  });

  it('still offers fields after an earlier clause with a bad value (only syntax stops it)', () => {
    expect(at('source.ip:nonsense and ev|')).toEqual({ kind: 'field', prefix: 'ev', span: sp(23, 25) });
  });
});

describe('suggestFields', () => {
  it('lists names that start with the prefix first, then names with a part that does', () => {
    const names = suggestFields('us').map((f) => f.name);
    expect(names.slice(0, 3)).toEqual(['user.name', 'user.id', 'user_agent.original']);
    expect(names).toContain('aws.cloudtrail.user_identity.type');
    expect(suggestFields('act')[0]?.name).toBe('event.action');
    expect(suggestFields('ACTION').map((f) => f.name)).toEqual(['event.action']);
  });

  it('returns the whole catalog, described, for an empty prefix', () => {
    const all = suggestFields('', 100);
    expect(all.map((f) => f.name)).toEqual(AUDIT_FIELDS.map((f) => f.name));
    expect(all.every((f) => f.description.length > 0)).toBe(true);
    expect(suggestFields('zzz')).toEqual([]);
  });
});
