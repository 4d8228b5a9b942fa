import { describe, expect, it } from 'vitest';
import type { QueryNode } from '../../lib/query-language/ast';
import { parseQuery } from '../../lib/query-language/parse';
import { auditFacetsRequest, facetField } from '../../lib/questions/audit-facets/elasticsearch-request';
import { AUDIT_FACETS } from '../../lib/questions/audit-facets/definition';
import { decodeAuditCursor, encodeAuditCursor } from '../../lib/questions/audit-search/cursor';
import { auditSearchQuestion } from '../../lib/questions/audit-search/definition';
import { ERROR_MESSAGE_KEYWORD, auditQuery } from '../../lib/questions/audit-search/elasticsearch-query';
import { auditSearchRequest } from '../../lib/questions/audit-search/elasticsearch-request';
import { existingIndexMappings, indexTemplates } from '../../lib/store/elasticsearch/templates';
import { IndexNames } from '../../lib/store/elasticsearch/names';

/** The audit questions' Elasticsearch requests as pure values: what the conformance suite runs against a real node. */
const tree = (text: string): QueryNode => {
  const r = parseQuery(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.tree;
};
const inner = (text: string) => (auditQuery(tree(text), 0, 1).bool!.filter as unknown[])[1];
const INJECTION = "x'); DROP TABLE audit_events; --";

describe('audit search on Elasticsearch: the request', () => {
  it('an IPv4-mapped block is written as the IPv4 block it is (Elasticsearch refuses the mapped form)', () => {
    expect(inner('source.ip:::ffff:10.0.0.0/104')).toEqual({ term: { 'source.ip': { value: '10.0.0.0/8' } } });
    expect(inner('source.ip:::ffff:0:0/96')).toEqual({ term: { 'source.ip': { value: '0.0.0.0/0' } } });
    expect(inner('source.ip:2001:db8::/32')).toEqual({ term: { 'source.ip': { value: '2001:db8::/32' } } });
  });

  it('error.message contains, ASCII case-insensitively, on the keyword copy; wildcard characters stay literal', () => {
    expect(inner('error.message:"a*b?c\\\\"')).toEqual({ wildcard: { [ERROR_MESSAGE_KEYWORD]: { value: '*a\\*b\\?c\\\\*', case_insensitive: true } } });
  });

  it('values reach Elasticsearch as JSON values, never as query text', () => {
    const q = JSON.stringify(auditQuery(tree(`user_agent.original:"${INJECTION}" or kms.encryption_context.tenant:"${INJECTION}"`), 0, 1));
    expect(q).not.toContain('query_string');
    expect(q).toContain(JSON.stringify(INJECTION).slice(1, -1));
  });

  it('a term of the wrong type matches nothing (Elasticsearch would coerce it)', () => {
    const q = (n: QueryNode) => (auditQuery(n, 0, 1).bool!.filter as unknown[])[1];
    expect(q({ kind: 'term', field: 'event.action', value: true })).toEqual({ match_none: {} });
    expect(q({ kind: 'term', field: 'aws.cloudtrail.read_only', value: 'true' })).toEqual({ match_none: {} });
  });

  it('pages newest first by (@timestamp, event.id) from the cursor, one hit beyond the page, the raw record left out', () => {
    const p = auditSearchQuestion.params.parse({ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z', limit: 25 });
    const req = auditSearchRequest(p, decodeAuditCursor(encodeAuditCursor({ timeMs: 5, id: 'e' })), 'ix');
    expect(req).toMatchObject({ size: 26, search_after: [5, 'e'], track_total_hits: 10_000, sort: [{ '@timestamp': { order: 'desc' } }, { 'event.id': { order: 'desc' } }] });
    expect(JSON.stringify(req._source)).toContain('keyscope.record.raw');
    expect(auditSearchRequest({ ...p, withTotal: false }, undefined, 'ix')).toMatchObject({ track_total_hits: false });
  });

  it('facets: one composite aggregation per facet still pending, each from its after key', () => {
    const pending = new Map([['event.action', undefined], ['kms.encryption_context', { v: 'tenant' }]] as const);
    const req = auditFacetsRequest({ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z', query: { kind: 'all' }, top: 5 }, pending, 'ix');
    expect(Object.keys(req.aggs!)).toEqual(['event.action', 'kms.encryption_context']);
    expect(req.aggs!['kms.encryption_context']!.composite).toMatchObject({ after: { v: 'tenant' }, sources: [{ v: { terms: { field: 'keyscope.encryption_context_keys', missing_bucket: true } } }] });
  });

  it('every facet groups by a field the audit-events mapping has', () => {
    const names = new IndexNames('p');
    const mapping = indexTemplates(names).find((t) => t.name === names.template('audit-events'))!.template!.mappings!.properties!;
    const has = (path: string): boolean => {
      let props: Record<string, unknown> | undefined = mapping as Record<string, unknown>;
      const parts = path.split('.');
      for (const [i, part] of parts.entries()) {
        const p = props?.[part] as { properties?: Record<string, unknown>; fields?: Record<string, unknown> } | undefined;
        if (p === undefined) return false;
        if (i === parts.length - 1) return true;
        props = p.properties ?? p.fields;
      }
      return false;
    };
    for (const f of AUDIT_FACETS) expect(has(facetField(f)), f).toBe(true);
    expect(has(ERROR_MESSAGE_KEYWORD)).toBe(true);
    // Indices made before these fields get them through putMapping.
    expect(JSON.stringify(existingIndexMappings(names))).toContain('encryption_context_keys');
  });
});
