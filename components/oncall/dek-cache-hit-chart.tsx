'use client';

import { SliRatioChart } from './sli-ratio-chart';

/** DEK cache hit rate over time (unwraps that consulted a cache) against the cache-hit objective. */
export function DekCacheHitChart({ objective }: { objective: number | null }) {
  return (
    <SliRatioChart
      id="dek-cache-hit"
      title="DEK cache hit rate"
      sli="cache_hit"
      seriesName="cache hit rate"
      color="#2563eb"
      objective={objective}
      emptyText="No cached unwraps in this range and filter (no unwrap reported a cache lookup)."
    />
  );
}
