import { BURN_WINDOW_NAMES, type BurnWindow, type Counts } from '../../../detect/slo-math';
import { composeSloStatus, sloWindows, type SloStatusParams, type SloStatusResult } from '../../../queries/slo-status';
import { toMs } from '../../../queries/common';
import type { ReadSession } from '../read-pool/read-session';
import { sliWindowSql } from '../sql/sli';

export async function readSloStatus(s: ReadSession, p: SloStatusParams): Promise<SloStatusResult> {
  const windows = sloWindows(p.slo, toMs(p.now));
  const countsIn = async (w: { fromMs: number; toMs: number }): Promise<Counts> =>
    (await s.get<Counts>(sliWindowSql(p.slo, p.slo.filters, w.fromMs, w.toMs))) ?? { good: 0, total: 0 };
  const burn = {} as Record<BurnWindow, Counts>;
  for (const w of BURN_WINDOW_NAMES) burn[w] = await countsIn(windows.burn[w]);
  return composeSloStatus(p.slo, windows, { slo: await countsIn(windows.slo), burn });
}
