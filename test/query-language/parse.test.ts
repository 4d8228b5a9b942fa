import { describe, expect, it } from 'vitest';
import type { QueryNode } from '../../lib/query-language/ast';
import { AUDIT_FIELDS } from '../../lib/query-language/fields';
import { term, tree } from './helpers';

const A = term('event.action', 'Decrypt');
const B = term('event.outcome', 'failure');
const C = term('cloud.region', 'us-east-1');
const [a, b, c] = ['event.action:Decrypt', 'event.outcome:failure', 'cloud.region:us-east-1'];

describe('operators and precedence', () => {
  it('reads the empty query, and only whitespace, as all', () => {
    expect(tree('')).toEqual({ kind: 'all' });
    expect(tree(' \t\n ')).toEqual({ kind: 'all' });
  });

  it('reads and, or, not in any case', () => {
    for (const [and, or, not] of [['and', 'or', 'not'], ['AND', 'OR', 'NOT'], ['And', 'Or', 'Not']]) {
      expect(tree(`${a} ${and} ${b}`)).toEqual({ kind: 'and', children: [A, B] });
      expect(tree(`${a} ${or} ${b}`)).toEqual({ kind: 'or', children: [A, B] });
      expect(tree(`${not} ${a}`)).toEqual({ kind: 'not', child: A });
    }
  });

  it('binds not tighter than and, and and tighter than or', () => {
    expect(tree(`${a} or ${b} and ${c}`)).toEqual({ kind: 'or', children: [A, { kind: 'and', children: [B, C] }] });
    expect(tree(`${a} and ${b} or ${c}`)).toEqual({ kind: 'or', children: [{ kind: 'and', children: [A, B] }, C] });
    expect(tree(`not ${a} and ${b}`)).toEqual({ kind: 'and', children: [{ kind: 'not', child: A }, B] });
    expect(tree(`not not ${a}`)).toEqual({ kind: 'not', child: { kind: 'not', child: A } });
  });

  it('groups with parentheses and keeps the grouping in the tree', () => {
    expect(tree(`(${a} or ${b}) and ${c}`)).toEqual({ kind: 'and', children: [{ kind: 'or', children: [A, B] }, C] });
    expect(tree(`not (${a} or ${b})`)).toEqual({ kind: 'not', child: { kind: 'or', children: [A, B] } });
    expect(tree(`(${a} and ${b}) and ${c}`)).toEqual({ kind: 'and', children: [{ kind: 'and', children: [A, B] }, C] });
    expect(tree(`((${a}))`)).toEqual(A);
  });

  it('collects a chain of one operator into one node', () => {
    expect(tree(`${a} and ${b} and ${c}`)).toEqual({ kind: 'and', children: [A, B, C] });
    expect(tree(`${a} or ${b} or ${c}`)).toEqual({ kind: 'or', children: [A, B, C] });
  });

  it('reads clauses side by side as and, with and\'s precedence', () => {
    expect(tree(`${a} ${b}`)).toEqual({ kind: 'and', children: [A, B] });
    expect(tree(`${a} ${b} or ${c}`)).toEqual({ kind: 'or', children: [{ kind: 'and', children: [A, B] }, C] });
    expect(tree(`${a} not ${b}`)).toEqual({ kind: 'and', children: [A, { kind: 'not', child: B }] });
    expect(tree(`${a}(${b} or ${c})`)).toEqual({ kind: 'and', children: [A, { kind: 'or', children: [B, C] }] });
  });

  it('takes value lists with their own operators', () => {
    expect(tree('event.action:(Decrypt or Encrypt)')).toEqual({ kind: 'or', children: [A, term('event.action', 'Encrypt')] });
    expect(tree('event.action:(Decrypt or not Encrypt and "Sign")')).toEqual({
      kind: 'or',
      children: [A, { kind: 'and', children: [{ kind: 'not', child: term('event.action', 'Encrypt') }, term('event.action', 'Sign')] }],
    });
    expect(tree('event.action:((Decrypt))')).toEqual(A);
    expect(tree('event.action: (Decrypt OR Encrypt)')).toEqual({ kind: 'or', children: [A, term('event.action', 'Encrypt')] });
  });

  it('allows spaces around the colon', () => {
    expect(tree('event.action : Decrypt')).toEqual(A);
  });
});

describe('field names', () => {
  it('reads catalog names in any case as the canonical name', () => {
    expect(tree('EVENT.ACTION:Decrypt')).toEqual(A);
    expect(tree('User.Name:x')).toEqual(term('user.name', 'x'));
  });

  it('takes every catalog field', () => {
    for (const f of AUDIT_FIELDS) {
      const value = f.type === 'boolean' ? 'true' : f.type === 'ip' ? '10.0.0.1' : f.type === 'date' ? '2026-01-02T03:04:05Z' : 'v';
      expect((tree(`${f.name}:${value}`) as { field: string }).field).toBe(f.name);
    }
  });

  it('takes encryption-context keys as written (case kept), quoted or escaped when they hold a colon', () => {
    expect(tree('kms.encryption_context.tenant:acme')).toEqual(term('kms.encryption_context.tenant', 'acme'));
    expect(tree('kms.encryption_context.Tenant:acme')).toEqual(term('kms.encryption_context.Tenant', 'acme'));
    expect(tree('KMS.Encryption_Context.Tenant:acme')).toEqual(term('kms.encryption_context.Tenant', 'acme'));
    expect(tree('"kms.encryption_context.aws:ebs:id":vol-1')).toEqual(term('kms.encryption_context.aws:ebs:id', 'vol-1'));
    expect(tree('kms.encryption_context.aws\\:ebs\\:id:vol-1')).toEqual(term('kms.encryption_context.aws:ebs:id', 'vol-1'));
    expect(tree('"kms.encryption_context.a \\"b\\"":x')).toEqual(term('kms.encryption_context.a "b"', 'x'));
  });
});

describe('values', () => {
  it('reads unquoted values up to whitespace or a parenthesis, colons and slashes included', () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(tree(`kms.key.arn:${arn}`)).toEqual(term('kms.key.arn', arn));
    expect(tree('user_agent.original:aws-cli/2.0')).toEqual(term('user_agent.original', 'aws-cli/2.0'));
  });

  it('keeps quoted values literal, with \\" and \\\\ as the only escapes', () => {
    expect(tree('user_agent.original:"aws-cli/2 Python/3 (Linux)"')).toEqual(term('user_agent.original', 'aws-cli/2 Python/3 (Linux)'));
    expect(tree('user.name:"a \\"quoted\\" \\\\ name"')).toEqual(term('user.name', 'a "quoted" \\ name'));
    expect(tree('user.name:"*app-role*"')).toEqual(term('user.name', '*app-role*'));
    expect(tree('event.action:"and"')).toEqual(term('event.action', 'and'));
    expect(tree('user.name:"a or b"')).toEqual(term('user.name', 'a or b'));
  });

  it('escapes any character in an unquoted value with a backslash', () => {
    expect(tree('user.name:a\\*b')).toEqual(term('user.name', 'a*b'));
    expect(tree('user.name:a\\ b\\(c\\)')).toEqual(term('user.name', 'a b(c)'));
    expect(tree('event.action:\\and')).toEqual(term('event.action', 'and'));
    expect(tree('user.name:\\"x\\\\')).toEqual(term('user.name', '"x\\'));
    expect(tree('user.name:a\\😀b')).toEqual(term('user.name', 'a😀b'));
  });

  it('reads * and ? as wildcards, runs of * as one', () => {
    expect(tree('user.name:*app-role*')).toEqual({ kind: 'wildcard', field: 'user.name', segments: [{ kind: 'any' }, { kind: 'literal', text: 'app-role' }, { kind: 'any' }] });
    expect(tree('event.action:Gen??ate**Key')).toEqual({
      kind: 'wildcard',
      field: 'event.action',
      segments: [{ kind: 'literal', text: 'Gen' }, { kind: 'one' }, { kind: 'one' }, { kind: 'literal', text: 'ate' }, { kind: 'any' }, { kind: 'literal', text: 'Key' }],
    });
    expect(tree('user.name:a\\*b*')).toEqual({ kind: 'wildcard', field: 'user.name', segments: [{ kind: 'literal', text: 'a*b' }, { kind: 'any' }] });
  });

  it('reads field:* (and field:**) as exists, on every type', () => {
    for (const f of AUDIT_FIELDS) expect(tree(`${f.name}:*`)).toEqual({ kind: 'exists', field: f.name });
    expect(tree('error.code:**')).toEqual({ kind: 'exists', field: 'error.code' });
    expect(tree('kms.encryption_context.tenant:*')).toEqual({ kind: 'exists', field: 'kms.encryption_context.tenant' });
  });

  it('reads booleans in any case, quoted or not', () => {
    expect(tree('keyscope.cross_account:true')).toEqual(term('keyscope.cross_account', true));
    expect(tree('aws.cloudtrail.read_only:FALSE')).toEqual(term('aws.cloudtrail.read_only', false));
    expect(tree('aws.cloudtrail.management_event:"True"')).toEqual(term('aws.cloudtrail.management_event', true));
  });

  it('reads text-field values as terms (contains, case-insensitive, in the stores)', () => {
    expect(tree('error.message:"access denied"')).toEqual(term('error.message', 'access denied'));
  });

  it('keeps unicode and control characters as value characters', () => {
    expect(tree('kms.encryption_context.tenant:"ünï 😀 \u0000 \u200b"')).toEqual(term('kms.encryption_context.tenant', 'ünï 😀 \u0000 \u200b'));
  });
});

describe('ranges', () => {
  const k = 'kms.key.material_id';
  it('reads comparisons with and without spaces', () => {
    expect(tree(`${k} >= m1`)).toEqual({ kind: 'range', field: k, lower: { value: 'm1', inclusive: true } });
    expect(tree(`${k}>m1`)).toEqual({ kind: 'range', field: k, lower: { value: 'm1', inclusive: false } });
    expect(tree(`${k} <= "m 1"`)).toEqual({ kind: 'range', field: k, upper: { value: 'm 1', inclusive: true } });
    expect(tree(`${k}<m1`)).toEqual({ kind: 'range', field: k, upper: { value: 'm1', inclusive: false } });
  });

  it('reads Lucene ranges with inclusive, exclusive, mixed and open bounds', () => {
    expect(tree(`${k}:[a TO b]`)).toEqual({ kind: 'range', field: k, lower: { value: 'a', inclusive: true }, upper: { value: 'b', inclusive: true } });
    expect(tree(`${k}:{a TO b}`)).toEqual({ kind: 'range', field: k, lower: { value: 'a', inclusive: false }, upper: { value: 'b', inclusive: false } });
    expect(tree(`${k}:[a to "b c"}`)).toEqual({ kind: 'range', field: k, lower: { value: 'a', inclusive: true }, upper: { value: 'b c', inclusive: false } });
    expect(tree(`${k}:{a TO b]`)).toEqual({ kind: 'range', field: k, lower: { value: 'a', inclusive: false }, upper: { value: 'b', inclusive: true } });
    expect(tree(`${k}:[a TO *]`)).toEqual({ kind: 'range', field: k, lower: { value: 'a', inclusive: true } });
    expect(tree(`${k}:[* TO b}`)).toEqual({ kind: 'range', field: k, upper: { value: 'b', inclusive: false } });
    expect(tree(`${k}:[* TO *]`)).toEqual({ kind: 'exists', field: k });
    expect(tree(`${k}:(x or [a TO b])`)).toEqual({
      kind: 'or',
      children: [term(k, 'x'), { kind: 'range', field: k, lower: { value: 'a', inclusive: true }, upper: { value: 'b', inclusive: true } }],
    });
  });

  it('normalises date-times to UTC milliseconds', () => {
    const at = (v: string): QueryNode => tree(`@timestamp >= ${v}`);
    const lower = (iso: string): QueryNode => ({ kind: 'range', field: '@timestamp', lower: { value: iso, inclusive: true } });
    expect(at('2026-01-02T03:04:05Z')).toEqual(lower('2026-01-02T03:04:05.000Z'));
    expect(at('2026-01-02T03:04:05.123456Z')).toEqual(lower('2026-01-02T03:04:05.123Z'));
    expect(at('2026-01-02T03:04:05+02:00')).toEqual(lower('2026-01-02T01:04:05.000Z'));
    expect(at('2026-01-02T03:04-0530')).toEqual(lower('2026-01-02T08:34:00.000Z'));
    expect(at('2026-01-02T03:04:05')).toEqual(lower('2026-01-02T03:04:05.000Z'));
    expect(at('"2026-01-02 03:04:05z"')).toEqual(lower('2026-01-02T03:04:05.000Z'));
    expect(at('2024-02-29')).toEqual(lower('2024-02-29T00:00:00.000Z'));
  });

  it('reads a date alone as its whole UTC day', () => {
    const day = '2026-01-02T00:00:00.000Z';
    const next = '2026-01-03T00:00:00.000Z';
    expect(tree('@timestamp:2026-01-02')).toEqual({ kind: 'range', field: '@timestamp', lower: { value: day, inclusive: true }, upper: { value: next, inclusive: false } });
    expect(tree('@timestamp > 2026-01-02')).toEqual({ kind: 'range', field: '@timestamp', lower: { value: next, inclusive: true } });
    expect(tree('@timestamp <= 2026-01-02')).toEqual({ kind: 'range', field: '@timestamp', upper: { value: next, inclusive: false } });
    expect(tree('@timestamp < 2026-01-02')).toEqual({ kind: 'range', field: '@timestamp', upper: { value: day, inclusive: false } });
    expect(tree('@timestamp:[2026-01-01 TO 2026-01-02]')).toEqual({
      kind: 'range', field: '@timestamp', lower: { value: '2026-01-01T00:00:00.000Z', inclusive: true }, upper: { value: next, inclusive: false },
    });
  });

  it('reads a date-time term as that instant', () => {
    const t = '2026-01-02T03:04:05.000Z';
    expect(tree('@timestamp:"2026-01-02T03:04:05Z"')).toEqual({ kind: 'range', field: '@timestamp', lower: { value: t, inclusive: true }, upper: { value: t, inclusive: true } });
  });
});

describe('IP addresses and CIDR', () => {
  const cidr = (family: 4 | 6, network: string, prefix: number): QueryNode => ({ kind: 'cidr', field: 'source.ip', family, network, prefix });
  it('reads IPv4 and IPv6 blocks and clears host bits', () => {
    expect(tree('source.ip:10.0.0.0/8')).toEqual(cidr(4, '10.0.0.0', 8));
    expect(tree('source.ip:10.1.2.3/8')).toEqual(cidr(4, '10.0.0.0', 8));
    expect(tree('source.ip:192.168.17.200/20')).toEqual(cidr(4, '192.168.16.0', 20));
    expect(tree('source.ip:0.0.0.0/0')).toEqual(cidr(4, '0.0.0.0', 0));
    expect(tree('source.ip:2001:DB8:0:0:1::1/32')).toEqual(cidr(6, '2001:db8::', 32));
    expect(tree('source.ip:"2001:db8:85a3::8a2e:370:7334/64"')).toEqual(cidr(6, '2001:db8:85a3::', 64));
    expect(tree('source.ip:2001:db8::ff/127')).toEqual(cidr(6, '2001:db8::fe', 127));
    expect(tree('source.ip:::/0')).toEqual(cidr(6, '::', 0));
  });

  it('reads a single address as a full-length block, in canonical form', () => {
    expect(tree('source.ip:192.0.2.0')).toEqual(cidr(4, '192.0.2.0', 32));
    expect(tree('source.ip:2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual(cidr(6, '2001:db8::1', 128));
    expect(tree('source.ip:::ffff:10.0.0.1')).toEqual(cidr(6, '::ffff:a00:1', 128));
    expect(tree('source.ip:fe80::1%eth0')).toEqual(cidr(6, 'fe80::1', 128));
  });
});

describe('bare words', () => {
  const defaults = AUDIT_FIELDS.filter((f) => f.defaultSearch).map((f) => f.name);
  it('expand to an or over the default-search fields', () => {
    expect(defaults.length).toBeGreaterThan(1);
    expect(tree('Decrypt')).toEqual({ kind: 'or', children: defaults.map((f) => term(f, 'Decrypt')) });
    expect(tree('"Access Denied"')).toEqual({ kind: 'or', children: defaults.map((f) => term(f, 'Access Denied')) });
    expect(tree('*app-role*')).toEqual({
      kind: 'or',
      children: defaults.map((field) => ({ kind: 'wildcard', field, segments: [{ kind: 'any' }, { kind: 'literal', text: 'app-role' }, { kind: 'any' }] })),
    });
  });

  it('read * alone as all', () => {
    expect(tree('*')).toEqual({ kind: 'all' });
    expect(tree(`* and ${a}`)).toEqual({ kind: 'and', children: [{ kind: 'all' }, A] });
  });
});
