import { describe, expect, it } from 'vitest';
import { auditFilter, esPattern } from '../../lib/store/elasticsearch/queries/audit-filter';
import { tree } from './helpers';

const es = (q: string) => auditFilter(tree(q));

describe('auditFilter (Elasticsearch)', () => {
  it('compiles boolean structure to bool must / should / must_not', () => {
    expect(es('event.action:Decrypt and not (event.outcome:failure or cloud.region:x)')).toEqual({
      bool: {
        must: [
          { term: { 'event.action': { value: 'Decrypt' } } },
          { bool: { must_not: [{ bool: { should: [{ term: { 'event.outcome': { value: 'failure' } } }, { term: { 'cloud.region': { value: 'x' } } }], minimum_should_match: 1 } }] } },
        ],
      },
    });
    expect(es('')).toEqual({ match_all: {} });
  });

  it('uses the catalog\'s Elasticsearch names', () => {
    expect(es('kms.key.arn:a')).toEqual({ term: { 'keyscope.kek.arn': { value: 'a' } } });
    expect(es('error.code:AccessDenied')).toEqual({ term: { 'aws.cloudtrail.error_code': { value: 'AccessDenied' } } });
    expect(es('kms.key.material_id:*')).toEqual({ exists: { field: 'keyscope.kek.version' } });
    expect(es('"kms.encryption_context.aws:ebs:id":vol-1')).toEqual({ term: { 'keyscope.encryption_context.aws:ebs:id': { value: 'vol-1' } } });
    expect(es('aws.cloudtrail.read_only:false')).toEqual({ term: { 'aws.cloudtrail.read_only': { value: false } } });
  });

  it('compiles text terms to match_phrase', () => {
    expect(es('error.message:"not authorized"')).toEqual({ match_phrase: { 'aws.cloudtrail.error_message': { query: 'not authorized' } } });
  });

  it('compiles wildcards with literal \\ * ? escaped', () => {
    expect(es('user.name:*app-role*')).toEqual({ wildcard: { 'user.name': { value: '*app-role*' } } });
    expect(es('user.name:a\\*b\\?c\\\\d?*')).toEqual({ wildcard: { 'user.name': { value: 'a\\*b\\?c\\\\d?*' } } });
    expect(esPattern([{ kind: 'literal', text: '\\*?' }, { kind: 'one' }])).toBe('\\\\\\*\\??');
  });

  it('compiles ranges, with the strict date format on dates', () => {
    expect(es('@timestamp:[2026-01-01 TO 2026-01-31]')).toEqual({
      range: { '@timestamp': { gte: '2026-01-01T00:00:00.000Z', lt: '2026-02-01T00:00:00.000Z', format: 'strict_date_optional_time' } },
    });
    expect(es('kms.key.id:{a TO b]')).toEqual({ range: { 'keyscope.kek.id': { gt: 'a', lte: 'b' } } });
    expect(es('kms.key.id < b')).toEqual({ range: { 'keyscope.kek.id': { lt: 'b' } } });
  });

  it('compiles CIDR blocks to a term on the ip field', () => {
    expect(es('source.ip:10.1.2.3/8')).toEqual({ term: { 'source.ip': { value: '10.0.0.0/8' } } });
    expect(es('source.ip:2001:db8::1')).toEqual({ term: { 'source.ip': { value: '2001:db8::1/128' } } });
  });

  it('expands bare words over the default fields', () => {
    const q = es('Decrypt') as { bool: { should: unknown[]; minimum_should_match: number } };
    expect(q.bool.minimum_should_match).toBe(1);
    expect(q.bool.should).toContainEqual({ term: { 'keyscope.kek.arn': { value: 'Decrypt' } } });
    expect(q.bool.should).toContainEqual({ term: { 'aws.cloudtrail.error_code': { value: 'Decrypt' } } });
  });
});
