import type { SqliteAnswerOf } from '../define';
import type { sloStatusQuestion } from './definition';
import { BURN_WINDOW_NAMES, type BurnWindow, type Counts } from '../../detect/slo-math';
import { composeSloStatus, sloWindows, type SloStatusParams, type SloStatusResult } from './definition';
import { toMs } from '../common';
import type { ReadSession } from '../../store/sqlite/read-pool/read-session';
import { sliWindowSql } from '../../store/sqlite/sql/sli';

export async function readSloStatus(s: ReadSession, p: SloStatusParams): Promise<SloStatusResult> {
  const windows = sloWindows(p.slo, toMs(p.now));
  const countsIn = async (w: { fromMs: number; toMs: number }): Promise<Counts> =>
    (await s.get<Counts>(sliWindowSql(p.slo, p.slo.filters, w.fromMs, w.toMs))) ?? { good: 0, total: 0 };
  const burn = {} as Record<BurnWindow, Counts>;
  for (const w of BURN_WINDOW_NAMES) burn[w] = await countsIn(windows.burn[w]);
  return composeSloStatus(p.slo, windows, { slo: await countsIn(windows.slo), burn });
}

export const sqliteAnswer: SqliteAnswerOf<typeof sloStatusQuestion> = (ctx, p) => ctx.session((s) => readSloStatus(s, p));
