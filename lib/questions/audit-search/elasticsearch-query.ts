import type { estypes } from '@elastic/elasticsearch';
import type { QueryNode } from '../../query-language/ast';
import { CONTEXT_PREFIX, resolveField } from '../../query-language/fields';
import { formatIp, parseIp } from '../../query-language/ip';
import { auditFilter, esPattern } from '../../store/elasticsearch/queries/audit-filter';
import { timeRange } from '../../store/elasticsearch/queries/common';

type Query = estypes.QueryDslQueryContainer;

/** The keyword copy of error.message (lib/store/elasticsearch/templates.ts) that contains-matching reads. */
export const ERROR_MESSAGE_KEYWORD = 'aws.cloudtrail.error_message.keyword';
/** Encryption-context pairs as "<key>\u0000<value>" keywords (lib/store/elasticsearch/documents.ts). */
export const CONTEXT_PAIRS = 'keyscope.encryption_context_pairs';

/**
 * The events of [from, to) matching the tree, as one Elasticsearch query: auditFilter
 * (lib/store/elasticsearch/queries/audit-filter.ts) for every leaf but these, where its
 * query answers otherwise than the oracle (lib/query-language/evaluate.ts `matches`):
 * - text (error.message): the oracle is "contains, ASCII case-insensitive"; a phrase of
 *   analysed tokens is not (no partial words, Unicode lowercasing). A case-insensitive
 *   wildcard on the keyword copy is (Elasticsearch folds ASCII letters only there);
 * - CIDR in ::ffff:0:0/96: Elasticsearch refuses an IPv4-mapped block, so it is written as
 *   the IPv4 block it is;
 * - an ip term (trees built in-process; the parser writes CIDR): the oracle compares the
 *   address as written, so 10.0.0.9 is not ::ffff:10.0.0.9, as the ip field would say;
 *   and a term of the wrong type (true on a keyword) matches nothing, uncoerced;
 * - encryption-context wildcards and one-sided ranges, which keyed flattened fields refuse:
 *   on the pairs keyword, the key and a NUL before the value (NUL sorts below every character).
 */
export function auditQuery(node: QueryNode, fromMs: number, toMs: number): Query {
  return { bool: { filter: [timeRange(fromMs, toMs), tree(node)] } };
}

function tree(node: QueryNode): Query {
  switch (node.kind) {
    case 'and':
      return { bool: { must: node.children.map(tree) } };
    case 'or':
      return { bool: { should: node.children.map(tree), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [tree(node.child)] } };
    case 'term': {
      const type = resolveField(node.field)?.type;
      // The oracle compares types strictly; Elasticsearch would coerce "true" and true into each other.
      if ((type === 'boolean') !== (typeof node.value === 'boolean')) return { match_none: {} };
      if (type === 'text' && typeof node.value === 'string') {
        const value = esPattern([{ kind: 'any' }, { kind: 'literal', text: node.value }, { kind: 'any' }]);
        return { wildcard: { [ERROR_MESSAGE_KEYWORD]: { value, case_insensitive: true } } };
      }
      if (type === 'ip') {
        return { bool: { filter: [{ term: { 'source.address': { value: node.value } } }, { exists: { field: 'source.ip' } }] } };
      }
      return auditFilter(node);
    }
    case 'cidr': {
      const net = parseIp(node.network);
      const mapped = node.family === 6 && node.prefix >= 96 && net !== null && net.bytes.subarray(0, 12).every((b, i) => b === (i < 10 ? 0 : 0xff));
      return mapped ? auditFilter({ ...node, family: 4, network: formatIp(4, net.bytes), prefix: node.prefix - 96 }) : auditFilter(node);
    }
    case 'wildcard': {
      const key = contextKey(node.field);
      return key === null ? auditFilter(node) : { wildcard: { [CONTEXT_PAIRS]: { value: esPattern([{ kind: 'literal', text: `${key}\u0000` }, ...node.segments]) } } };
    }
    case 'range': {
      const key = contextKey(node.field);
      if (key === null || (node.lower !== undefined && node.upper !== undefined)) return auditFilter(node);
      const r: estypes.QueryDslUntypedRangeQuery = {};
      if (node.lower === undefined) r.gte = `${key}\u0000`;
      else r[node.lower.inclusive ? 'gte' : 'gt'] = `${key}\u0000${String(node.lower.value)}`;
      if (node.upper === undefined) r.lt = `${key}\u0001`;
      else r[node.upper.inclusive ? 'lte' : 'lt'] = `${key}\u0000${String(node.upper.value)}`;
      return { range: { [CONTEXT_PAIRS]: r } };
    }
    default:
      return auditFilter(node);
  }
}

/** The encryption-context key a field names, or null for a catalog field. */
function contextKey(field: string): string | null {
  const name = resolveField(field)?.name;
  return name !== undefined && name.startsWith(CONTEXT_PREFIX) ? name.slice(CONTEXT_PREFIX.length) : null;
}
