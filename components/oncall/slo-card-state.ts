import type { SloStatusResult } from '@/lib/questions/slo-status/definition';

/**
 * What an SLO card says first. A burn-rate alert wins (it is what needs someone now);
 * without one, an SLI below the objective over the window is "missed": its budget is
 * already spent, and a card that said "OK" there would contradict its own numbers. The
 * burn-rate rules only fire while the budget is being spent fast, so an SLO can miss its
 * objective without alerting.
 */
export type SloCardState = SloStatusResult['alert']['state'] | 'missed';

export function sloCardState(status: Pick<SloStatusResult, 'alert' | 'window' | 'objective'>): SloCardState {
  if (status.alert.state !== 'ok') return status.alert.state;
  const sli = status.window.sli;
  return sli !== null && sli < status.objective ? 'missed' : 'ok';
}
