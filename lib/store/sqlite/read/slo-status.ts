import { BURN_WINDOW_NAMES, type BurnWindow, type Counts } from '../../../detect/slo-math';
import { composeSloStatus, sloWindows, type SloStatusParams, type SloStatusResult } from '../../../queries/slo-status';
import { toMs } from '../../../queries/common';
import type { StatementCache } from '../statement-cache';
import { sliWindowSql } from '../sql/sli';

export function readSloStatus(cache: StatementCache, p: SloStatusParams): SloStatusResult {
  const windows = sloWindows(p.slo, toMs(p.now));
  const countsIn = (w: { fromMs: number; toMs: number }): Counts => cache.get<Counts>(sliWindowSql(p.slo, p.slo.filters, w.fromMs, w.toMs));
  const burn = {} as Record<BurnWindow, Counts>;
  for (const w of BURN_WINDOW_NAMES) burn[w] = countsIn(windows.burn[w]);
  return composeSloStatus(p.slo, windows, { slo: countsIn(windows.slo), burn });
}
