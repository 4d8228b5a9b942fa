import fc from 'fast-check';
import type { QueryNode, WildcardSegment } from '../../lib/query-language/ast';
import { AUDIT_FIELDS, CONTEXT_PREFIX, type FieldType } from '../../lib/query-language/fields';
import { formatIp, maskBytes } from '../../lib/query-language/ip';

/** Query trees in the parser's canonical form (what parseQuery can produce), for property tests. */

const byType = (t: FieldType): string[] => AUDIT_FIELDS.filter((f) => f.type === t).map((f) => f.name);
// Characters the syntax gives a meaning to, words it reserves, and any code point at all.
const SPECIAL = [...'"\\ ()*?:[]{}<>=\t\n\u00a0', 'a', 'B', '1', '-', '.', '/', '😀'];
const text = (max = 24): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom(...SPECIAL), minLength: 1, maxLength: max }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: max }),
    fc.constantFrom('and', 'OR', 'Not', 'TO', 'true', '10.0.0.0/8', '2026-01-02'),
  );
const contextField = text(12).filter((k) => !k.includes('*')).map((k) => CONTEXT_PREFIX + k);
const keywordField = fc.oneof(fc.constantFrom(...byType('keyword')), contextField);

/** No adjacent literals, no adjacent *, not * alone (that is exists). */
const segments: fc.Arbitrary<WildcardSegment[]> = fc
  .array(fc.oneof(text(8).map((t): WildcardSegment => ({ kind: 'literal', text: t })), fc.constant<WildcardSegment>({ kind: 'any' }), fc.constant<WildcardSegment>({ kind: 'one' })), { minLength: 1, maxLength: 6 })
  .map((segs) => segs.filter((s, i) => i === 0 || !(s.kind !== 'one' && s.kind === (segs[i - 1] as WildcardSegment).kind)))
  .filter((segs) => segs.some((s) => s.kind !== 'literal') && !(segs.length === 1 && segs[0]?.kind === 'any'));

const iso = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }).map((ms) => new Date(ms).toISOString());
const bounds = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof(
    fc.record({ lower: fc.record({ value, inclusive: fc.boolean() }) }),
    fc.record({ upper: fc.record({ value, inclusive: fc.boolean() }) }),
    fc.record({ lower: fc.record({ value, inclusive: fc.boolean() }), upper: fc.record({ value, inclusive: fc.boolean() }) }),
  );

const cidr: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 })).map(([b, prefix]): QueryNode => ({
    kind: 'cidr', field: 'source.ip', family: 4, prefix,
    network: formatIp(4, maskBytes(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...b]), 96 + prefix)),
  })),
  fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 128 }), fc.boolean()).map(([b, prefix, sparse]): QueryNode => {
    // Sparse addresses exercise the :: runs.
    const bytes = sparse ? b.map((x, i) => (i % 4 < 2 ? 0 : x)) : b;
    return { kind: 'cidr', field: 'source.ip', family: 6, prefix, network: formatIp(6, maskBytes(bytes, prefix)) };
  }),
);

export const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
  fc.record({ field: keywordField, value: text() }).map(({ field, value }): QueryNode => ({ kind: 'term', field, value })),
  fc.record({ field: fc.constantFrom(...byType('text')), value: text() }).map(({ field, value }): QueryNode => ({ kind: 'term', field, value })),
  fc.record({ field: fc.constantFrom(...byType('boolean')), value: fc.boolean() }).map(({ field, value }): QueryNode => ({ kind: 'term', field, value })),
  fc.record({ field: keywordField, segments }).map(({ field, segments: s }): QueryNode => ({ kind: 'wildcard', field, segments: s })),
  fc.oneof(keywordField, fc.constantFrom(...AUDIT_FIELDS.map((f) => f.name))).map((field): QueryNode => ({ kind: 'exists', field })),
  fc.tuple(keywordField, bounds(text())).map(([field, b]): QueryNode => ({ kind: 'range', field, ...b })),
  fc.tuple(fc.constantFrom(...byType('date')), bounds(iso)).map(([field, b]): QueryNode => ({ kind: 'range', field, ...b })),
  cidr,
);

export const queryTree: fc.Arbitrary<QueryNode> = fc.letrec<{ node: QueryNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('node'), { minLength: 2, maxLength: 4 }) }),
    fc.record({ kind: fc.constant('not' as const), child: tie('node') }),
  ),
})).node;
