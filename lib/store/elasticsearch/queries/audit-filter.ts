import type { estypes } from '@elastic/elasticsearch';
import type { QueryNode, RangeBound, WildcardSegment } from '../../../query-language/ast';
import { resolveField, type FieldSpec } from '../../../query-language/fields';

type Query = estypes.QueryDslQueryContainer;

/**
 * An audit-search tree (lib/query-language) as an Elasticsearch query. Field names come
 * only from the catalog's `es` names and values only as JSON values, never as query-string
 * syntax, so nothing a user types is parsed by Elasticsearch.
 */
export function auditFilter(node: QueryNode): Query {
  switch (node.kind) {
    case 'all':
      return { match_all: {} };
    case 'and':
      return { bool: { must: node.children.map(auditFilter) } };
    case 'or':
      return { bool: { should: node.children.map(auditFilter), minimum_should_match: 1 } };
    case 'not':
      // A document without the field matches: the oracle's "null matches nothing, so NOT matches".
      return { bool: { must_not: [auditFilter(node.child)] } };
    case 'exists':
      return { exists: { field: spec(node.field).es } };
    case 'term': {
      const f = spec(node.field);
      return f.type === 'text' ? { match_phrase: { [f.es]: { query: String(node.value) } } } : { term: { [f.es]: { value: node.value } } };
    }
    case 'wildcard':
      return { wildcard: { [spec(node.field).es]: { value: esPattern(node.segments) } } };
    case 'range': {
      const f = spec(node.field);
      const r: estypes.QueryDslUntypedRangeQuery = {};
      if (node.lower !== undefined) r[node.lower.inclusive ? 'gte' : 'gt'] = bound(node.lower);
      if (node.upper !== undefined) r[node.upper.inclusive ? 'lte' : 'lt'] = bound(node.upper);
      if (f.type === 'date') r.format = 'strict_date_optional_time';
      return { range: { [f.es]: r } };
    }
    case 'cidr':
      // ip fields take a CIDR block in term; an IPv4 block also matches its IPv4-mapped IPv6 form.
      return { term: { [spec(node.field).es]: { value: `${node.network}/${node.prefix}` } } };
  }
}

function spec(field: string): FieldSpec {
  const f = resolveField(field);
  if (f === null) throw new Error(`audit filter: unknown field ${JSON.stringify(field.slice(0, 64))}`);
  return f;
}

const bound = (b: RangeBound): string | number => b.value;

/** Lucene wildcard syntax: literal \, * and ? escaped with a backslash. */
export function esPattern(segments: WildcardSegment[]): string {
  return segments.map((s) => (s.kind === 'any' ? '*' : s.kind === 'one' ? '?' : s.text.replace(/[\\*?]/g, '\\$&'))).join('');
}
