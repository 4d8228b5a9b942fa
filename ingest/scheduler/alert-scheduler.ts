import type { Logger } from 'pino';
import type { SloDefinition } from '../../lib/detect/slo-config';
import type { Alert } from '../../lib/model/alert';
import type { Checkpoint, Store } from '../../lib/store/types';
import { RepeatingTask } from './repeating-task';
import { BURN_RULE_NAMES, episodeKey, parseEpisode, stepEpisode } from './slo-episodes';
import { sloStatus } from '../../lib/questions/registry';

/** Checkpoint source of open alert episodes. */
export const SLO_ALERTS_SOURCE = 'slo-alerts';

export type AlertSchedulerOptions = {
  store: Pick<Store, 'answer' | 'getCheckpoint' | 'writeBatch'>;
  slos: readonly SloDefinition[];
  intervalMs: number;
  logger: Logger;
  clock?: () => number;
  /** After each evaluation the timer ran, once its alerts are written (or it failed and was logged): tests, metrics. */
  onEvaluated?: (outcome: EvaluationOutcome) => void;
};

export type EvaluationResult = { sloId: string; state: 'ok' | 'ticket' | 'page'; alerts: Alert[] };
export type EvaluationOutcome = { results: EvaluationResult[] } | { error: Error };

/**
 * Evaluates every configured SLO's burn-rate rules on an interval (DESIGN.md, "Detection
 * and SLOs") and upserts their alerts. Each evaluation writes its alerts and the episode
 * checkpoints in one batch, so a crash never leaves an alert without its episode or the
 * reverse. A failed evaluation is logged and the next tick tries again.
 */
export class AlertScheduler {
  private readonly loop: RepeatingTask<EvaluationResult[]>;

  constructor(private readonly o: AlertSchedulerOptions) {
    this.loop = new RepeatingTask({
      run: () => this.evaluateOnce(),
      intervalMs: o.intervalMs,
      onOutcome: (outcome) => {
        if ('error' in outcome) {
          this.o.logger.error({ err: outcome.error.message }, 'SLO evaluation failed');
          this.o.onEvaluated?.({ error: outcome.error });
        } else this.o.onEvaluated?.({ results: outcome.value });
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops the timer; resolves when an evaluation in progress has written its alerts. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  async evaluateOnce(now: Date | number = (this.o.clock ?? Date.now)()): Promise<EvaluationResult[]> {
    const nowIso = new Date(now).toISOString();
    const results: EvaluationResult[] = [];
    const alerts: Alert[] = [];
    const checkpoints: Checkpoint[] = [];
    for (const slo of this.o.slos) {
      const status = await this.o.store.answer(sloStatus, { slo, now: nowIso });
      const result: EvaluationResult = { sloId: slo.id, state: status.alert.state, alerts: [] };
      for (const rule of BURN_RULE_NAMES) {
        const key = episodeKey(slo.id, rule);
        const prev = parseEpisode(await this.o.store.getCheckpoint(SLO_ALERTS_SOURCE, key));
        const step = stepEpisode(slo, rule, status, prev, nowIso);
        if (step.alert === null) continue;
        result.alerts.push(step.alert);
        alerts.push(step.alert);
        checkpoints.push({ source: SLO_ALERTS_SOURCE, key, value: step.next });
        if (prev === null || step.next === null) {
          this.o.logger.info({ sloId: slo.id, rule, alertId: step.alert.id, status: step.alert.status }, step.next ? 'SLO alert opened' : 'SLO alert resolved');
        }
      }
      results.push(result);
    }
    if (alerts.length > 0) await this.o.store.writeBatch({ source: 'alert-scheduler', alerts, checkpoints });
    return results;
  }
}
