import type { Alert } from '../../lib/model/alert';
import type { SloDefinition } from '../../lib/detect/slo-config';
import { BURN_RULES } from '../../lib/detect/slo-math';
import type { SloStatusResult } from '../../lib/questions/slo-status/definition';
import type { CheckpointValue } from '../../lib/store/types';

export type BurnRule = keyof typeof BURN_RULES;
export const BURN_RULE_NAMES = Object.keys(BURN_RULES) as BurnRule[];

/** Fast burn pages someone; slow burn opens a ticket (SRE workbook, ch. 5). */
export const SEVERITY_OF: Record<BurnRule, Alert['severity']> = { page: 'critical', ticket: 'high' };

const TITLE_OF: Record<BurnRule, string> = {
  page: `fast error-budget burn (over ${BURN_RULES.page.threshold}x for ${BURN_RULES.page.long} and ${BURN_RULES.page.short})`,
  ticket: `slow error-budget burn (over ${BURN_RULES.ticket.threshold}x for ${BURN_RULES.ticket.long} and ${BURN_RULES.ticket.short})`,
};

/** An open episode, kept as a checkpoint so a restarted scheduler continues the same alert. */
export type Episode = { alertId: string; firstSeen: string; peakBurnRate: number };

export function episodeKey(sloId: string, rule: BurnRule): string {
  return `${sloId}/${rule}`;
}

export function parseEpisode(value: CheckpointValue | null): Episode | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const { alertId, firstSeen, peakBurnRate } = value;
  if (typeof alertId !== 'string' || typeof firstSeen !== 'string' || typeof peakBurnRate !== 'number') return null;
  return { alertId, firstSeen, peakBurnRate };
}

export type EpisodeStep = { alert: Alert | null; next: Episode | null };

/**
 * One evaluation of one burn rule of one SLO → the alert to upsert and the episode after it.
 * The alert id is stable for the episode (SLO, rule, when it started): re-evaluations while
 * the rule fires update the same alert (lastSeen, evidence); the first evaluation where it
 * no longer fires resolves it; a later burn starts a new episode with a new id.
 */
export function stepEpisode(slo: SloDefinition, rule: BurnRule, status: SloStatusResult, prev: Episode | null, nowIso: string): EpisodeStep {
  const condition = status.alert[rule];
  const longRate = condition.long.burnRate ?? 0;
  if (!condition.firing && prev === null) return { alert: null, next: null };
  const episode: Episode = prev
    ? { ...prev, peakBurnRate: Math.max(prev.peakBurnRate, longRate) }
    : { alertId: `slo-burn:${slo.id}:${rule}:${nowIso}`, firstSeen: nowIso, peakBurnRate: longRate };
  const alert: Alert = {
    id: episode.alertId,
    ruleId: `slo-burn-rate-${rule}`,
    severity: SEVERITY_OF[rule],
    subject: slo.id,
    title: `${slo.name}: ${TITLE_OF[rule]}`,
    firstSeen: episode.firstSeen,
    lastSeen: nowIso,
    status: condition.firing ? 'open' : 'resolved',
    evidence: evidenceOf(status, rule, episode),
  };
  return { alert, next: condition.firing ? episode : null };
}

function evidenceOf(status: SloStatusResult, rule: BurnRule, episode: Episode): Record<string, unknown> {
  const c = status.alert[rule];
  const windows = Object.fromEntries(status.burnRates.map((w) => [w.window, { burnRate: w.burnRate, good: w.good, total: w.total, from: w.from, to: w.to }]));
  return {
    sloId: status.sloId,
    sli: status.sli,
    objective: status.objective,
    threshold: c.threshold,
    longWindow: c.long,
    shortWindow: c.short,
    peakBurnRate: episode.peakBurnRate,
    windows,
    sloWindow: status.window,
    errorBudgetRemaining: status.errorBudgetRemaining,
  };
}
