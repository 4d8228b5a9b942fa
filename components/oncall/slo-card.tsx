'use client';

import { useQuery } from '@tanstack/react-query';
import type { SloDefinition } from '@/lib/detect/slo-config';
import { BURN_RULES } from '@/lib/detect/slo-math';
import { formatBurnRate, formatCount, formatPercent, formatUtc } from '@/lib/dashboard/format';
import { sloCardState, type SloCardState } from '@/components/oncall/slo-card-state';
import { scopeSlo } from '@/lib/questions/slo-status/scope';
import type { SloStatusResult } from '@/lib/questions/slo-status/definition';
import { EmptyState, ErrorState, LoadingState } from './panel';
import { clientQueries, useOnCallView } from './use-oncall-view';
import styles from './slo-card.module.css';

const STATE_WORDS: Record<SloCardState, { label: string; detail: string }> = {
  ok: { label: 'OK', detail: 'objective met, not burning fast enough to alert' },
  missed: { label: 'MISSED', detail: 'below the objective over the window (budget spent); not burning fast enough to alert' },
  ticket: { label: 'TICKET', detail: `slow burn: 6h and 30m above ${BURN_RULES.ticket.threshold}×` },
  page: { label: 'PAGE', detail: `fast burn: 1h and 5m above ${BURN_RULES.page.threshold}×` },
};

/** One SLO: SLI over its window, objective, error budget left, burn rates and the alert they raise. */
export function SloCard({ slo }: { slo: SloDefinition }) {
  const { view, refetchInterval } = useOnCallView();
  const inScope = scopeSlo(slo, view.filters) !== null;
  const query = useQuery({ ...clientQueries.sloStatus(view, slo.id), refetchInterval, enabled: inScope });
  const { data, error } = query;
  const cardState = data ? sloCardState(data) : null;
  const state = !inScope ? 'out-of-scope' : data && cardState ? (data.window.total === 0 ? 'empty' : cardState) : error ? 'error' : 'loading';
  return (
    <section className={`${styles.card} ${styles[`state_${state.replace(/-/g, '_')}`] ?? ''}`} data-testid={`slo-card-${slo.id}`} data-state={state} aria-labelledby={`slo-${slo.id}-title`}>
      <header className={styles.head}>
        <h2 id={`slo-${slo.id}-title`}>{slo.name}</h2>
        {data && cardState && data.window.total > 0 ? <AlertBadge id={slo.id} status={data} state={cardState} /> : null}
      </header>
      {!inScope ? <EmptyState text={`This SLO covers only ${JSON.stringify(slo.filters)}; it says nothing about the filtered slice.`} /> : null}
      {inScope && !data && !error ? <LoadingState /> : null}
      {inScope && !data && error ? <ErrorState error={error} retry={() => void query.refetch()} /> : null}
      {data && cardState ? <SloBody slo={slo} status={data} state={cardState} /> : null}
    </section>
  );
}

/** The card's state; `data-value` stays the burn-rate alert state (ok, ticket, page). */
function AlertBadge({ id, status, state }: { id: string; status: SloStatusResult; state: SloCardState }) {
  const words = STATE_WORDS[state];
  return (
    <span className={`${styles.badge} ${styles[`badge_${state}`]}`} data-testid={`slo-${id}-alert`} data-value={status.alert.state} title={words.detail}>
      {words.label}
    </span>
  );
}

function SloBody({ slo, status, state }: { slo: SloDefinition; status: SloStatusResult; state: SloCardState }) {
  const budget = status.errorBudgetRemaining;
  const met = status.window.sli !== null && status.window.sli >= status.objective;
  if (status.window.total === 0) {
    return <EmptyState text={`No unwraps in the ${slo.windowDays}-day window ending ${formatUtc(status.window.to)}.`} />;
  }
  return (
    <>
      <div className={styles.headline}>
        <div>
          <div className={styles.label}>SLI, {slo.windowDays} days</div>
          <div className={`${styles.big} num ${met ? styles.good : styles.bad}`} data-testid={`slo-${slo.id}-sli`} data-value={status.window.sli ?? ''}>
            {formatPercent(status.window.sli, 3)}
          </div>
        </div>
        <div>
          <div className={styles.label}>objective</div>
          <div className={`${styles.medium} num`} data-testid={`slo-${slo.id}-objective`} data-value={status.objective}>
            ≥ {formatPercent(status.objective, 2)}
          </div>
        </div>
        <div>
          <div className={styles.label}>error budget left</div>
          <div className={styles.budgetValue}>
            <span className={`${styles.medium} num ${budget !== null && budget <= 0 ? styles.bad : ''}`} data-testid={`slo-${slo.id}-budget`} data-value={budget ?? ''}>
              {formatPercent(budget, 1)}
            </span>
            {budget !== null && budget <= 0 ? <span className={styles.exhausted}>exhausted</span> : null}
          </div>
        </div>
      </div>
      <div className={styles.budgetBar} role="meter" aria-label="error budget remaining" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.max(0, Math.min(1, budget ?? 0)) * 100}>
        <div style={{ width: `${Math.max(0, Math.min(1, budget ?? 0)) * 100}%` }} />
      </div>
      <table className={styles.burn}>
        <caption>burn rate (1× spends the budget exactly over the window)</caption>
        <thead>
          <tr>
            {status.burnRates.map((b) => (
              <th key={b.window} scope="col">{b.window}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {status.burnRates.map((b) => {
              const hot = b.burnRate !== null && b.burnRate > BURN_RULES.ticket.threshold;
              return (
                <td key={b.window} className={`num ${hot ? styles.bad : ''}`} data-testid={`slo-${slo.id}-burn-${b.window}`} data-value={b.burnRate ?? ''} title={`${formatCount(b.total - b.good)} bad of ${formatCount(b.total)}`}>
                  {formatBurnRate(b.burnRate)}
                </td>
              );
            })}
          </tr>
        </tbody>
      </table>
      <div className={styles.foot}>
        <span data-testid={`slo-${slo.id}-alert-words`}>{STATE_WORDS[state].label}: {STATE_WORDS[state].detail}</span>
        <span>
          {formatCount(status.window.total)} unwraps to {formatUtc(status.window.to)}
        </span>
      </div>
    </>
  );
}
