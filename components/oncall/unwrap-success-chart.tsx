'use client';

import { SliRatioChart } from './sli-ratio-chart';

/** Unwrap success rate over time against the unwrap-success objective. */
export function UnwrapSuccessChart({ objective }: { objective: number | null }) {
  return (
    <SliRatioChart
      id="unwrap-success"
      title="Unwrap success rate"
      sli="unwrap_success"
      seriesName="success rate"
      color="#0f766e"
      objective={objective}
      emptyText="No unwraps in this range and filter."
    />
  );
}
