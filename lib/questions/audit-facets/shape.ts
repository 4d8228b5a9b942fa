import { compareUtf8 } from '../../query-language/evaluate';
import { AUDIT_FACETS, type AuditFacet, type AuditFacetsResult } from './definition';

export type FacetCounts = { values: Array<{ value: string; count: number }>; other: number; missing: number };

/** Count descending, then value in UTF-8 byte order (SQLite's BINARY, Elasticsearch's keyword order). */
export function byCountThenValue(a: { value: string; count: number }, b: { value: string; count: number }): number {
  return b.count - a.count || compareUtf8(a.value, b.value);
}

/** Every facet of the definition, in its order, one with no values included. */
export function facetsResult(counts: ReadonlyMap<AuditFacet, FacetCounts>): AuditFacetsResult {
  return { facets: AUDIT_FACETS.map((field) => ({ field, ...(counts.get(field) ?? { values: [], other: 0, missing: 0 }) })) };
}

/** The top `top` of a facet's every value (exact counts), the rest as `other`. */
export function topOf(all: Array<{ value: string; count: number }>, top: number, missing: number): FacetCounts {
  const sorted = [...all].sort(byCountThenValue);
  const values = sorted.slice(0, top);
  return { values, other: sorted.slice(top).reduce((n, v) => n + v.count, 0), missing };
}
