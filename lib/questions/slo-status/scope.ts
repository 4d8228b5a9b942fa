import type { SloDefinition } from '../../detect/slo-config';
import type { Filters } from '../common';

const DIMENSIONS = ['service', 'tenant', 'kekId'] as const;

/**
 * An SLO narrowed to the page's filters, so "service = billing" shows how billing does
 * against each objective. Null when the SLO is itself scoped to another value of a
 * filtered dimension: it says nothing about that slice, and the card says so.
 */
export function scopeSlo(slo: SloDefinition, filters: Filters): SloDefinition | null {
  const merged: Filters = { ...slo.filters };
  for (const d of DIMENSIONS) {
    const want = filters[d];
    if (want === undefined) continue;
    const own = slo.filters[d];
    if (own !== undefined && own !== want) return null;
    merged[d] = want;
  }
  return { ...slo, filters: merged };
}
