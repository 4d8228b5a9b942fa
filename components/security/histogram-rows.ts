import type { AuditHistogramResult } from '@/lib/questions/audit-histogram/definition';

export type HistogramRow = { t: number; success: number; failure: number };

/** Bucket starts in ms with their counts (the question zero-fills: an audit trail has no gaps). */
export function histogramRows(h: AuditHistogramResult): HistogramRow[] {
  return h.points.map((p) => ({ t: Date.parse(p.t), success: p.success, failure: p.failure }));
}

/**
 * The range a drag across buckets `a`..`b` (either order) selects: from the first bucket's
 * start to the last one's end, never past the histogram's own end.
 */
export function draggedRange(rows: readonly HistogramRow[], a: number, b: number, bucketMs: number, toMs: number): { from: string; to: string } | null {
  const lo = rows[Math.min(a, b)];
  const hi = rows[Math.max(a, b)];
  if (lo === undefined || hi === undefined) return null;
  return { from: new Date(lo.t).toISOString(), to: new Date(Math.min(hi.t + bucketMs, toMs)).toISOString() };
}
